package mysql

import (
	"slices"
	"testing"
)

func TestStatementTables(t *testing.T) {
	tests := []struct {
		stmt   string
		tables []string // nil: not told
	}{
		{"CREATE TABLE `users` (`id` int NOT NULL, PRIMARY KEY (`id`))", []string{"users"}},
		{"CREATE TABLE IF NOT EXISTS users (id int)", []string{"users"}},
		{"CREATE TABLE `posts` (`id` int, `user_id` int, CONSTRAINT `fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE)",
			[]string{"posts", "users"}},
		{"ALTER TABLE `posts` ADD COLUMN `x` int NULL AFTER `id`, ALGORITHM=INSTANT", []string{"posts"}},
		{"ALTER TABLE `posts` ADD CONSTRAINT `fk2` FOREIGN KEY (`a`) REFERENCES `authors` (`id`), ADD CONSTRAINT `fk3` FOREIGN KEY (`b`) REFERENCES `posts` (`id`)",
			[]string{"posts", "authors"}},
		{"ALTER TABLE `a` RENAME TO `b`", []string{"a", "b"}},
		{"ALTER TABLE `a` RENAME COLUMN `x` TO `y`, RENAME INDEX `i` TO `j`", []string{"a"}},
		{"ALTER TABLE `a` DROP FOREIGN KEY `references`", []string{"a"}},
		{"ALTER TABLE `a` MODIFY COLUMN `s` varchar(10) DEFAULT 'REFERENCES x' COMMENT 'rename to z'", []string{"a"}},
		{"ALTER TABLE `we``ird` ADD KEY `k` (`c`)", []string{"we`ird"}},
		{"DROP TABLE `a`", []string{"a"}},
		{"DROP TABLE IF EXISTS `a`, `b`", []string{"a", "b"}},
		{"RENAME TABLE `a` TO `b`, `c` TO `d`", []string{"a", "b", "c", "d"}},
		{"CREATE UNIQUE INDEX `k` ON `t` (`a`)", []string{"t"}},
		{"CREATE INDEX `k` ON `t` (`a`)", []string{"t"}},
		{"DROP INDEX `k` ON `t`", []string{"t"}},
		{"create table t (id int)", []string{"t"}},

		{"CREATE VIEW `v` AS SELECT 1", nil},
		{"CREATE OR REPLACE VIEW `v` AS SELECT 1", nil},
		{"DROP VIEW `v`", nil},
		{"CREATE TRIGGER `tr` AFTER INSERT ON `t` FOR EACH ROW SET @x = 1", nil},
		{"DROP TRIGGER `tr`", nil},
		{"ALTER TABLE `other`.`t` ADD COLUMN `x` int", nil},
		{"ALTER TABLE `t` ADD CONSTRAINT `f` FOREIGN KEY (`a`) REFERENCES `other`.`p` (`id`)", nil},
		{"INSERT INTO t VALUES (1)", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got, ok := StatementTables(tt.stmt)
		if ok != (tt.tables != nil) || !slices.Equal(got, tt.tables) {
			t.Errorf("StatementTables(%q) = %q, %v; want %q", tt.stmt, got, ok, tt.tables)
		}
	}
}
