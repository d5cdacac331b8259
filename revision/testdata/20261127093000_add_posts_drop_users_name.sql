-- strata revision: do not edit; strata.sum guards this file
-- version: 20261127093000
-- parent: 20261126080000
-- from: 1111111111111111111111111111111111111111111111111111111111111111
-- to: 2222222222222222222222222222222222222222222222222222222222222222
-- env: dev
-- created: 2026-11-27T09:30:00Z
-- author: alice

-- +up
-- hazard: locking: rebuilds users
-- hazard: destructive: Drops column users.name and its data.
-- check: {"kind":"values","table":"users","columns":["name"]}
ALTER TABLE `users` DROP COLUMN `name`;

-- note: new table
CREATE TABLE `posts` (
  `id` bigint(20) NOT NULL,
  PRIMARY KEY (`id`)
);

-- +down
-- hazard: destructive: drops table posts and its rows
DROP TABLE `posts`;

-- irreversible
-- hazard: irreversible: the up side drops column users.name and its data; this restores the structure, not the data
ALTER TABLE `users` ADD COLUMN `name` varchar(100) NULL;
