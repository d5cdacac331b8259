-- strata revision: do not edit; strata.sum guards this file
-- version: 20261127081348
-- parent: none
-- from: 82da2236168e0e7edc34b9710c2b9946ccc045a65e44034413fd4e50abf3508e
-- to: 00c8f5754e7e15ed0802ea35cf8a638d766148b3209cde5d84db4f7fe5e34930
-- env: local
-- created: 2026-11-27T08:13:48Z
-- author: root

-- +up
CREATE TABLE "users" (
  "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  "email" varchar(191) NOT NULL,
  "display_name" varchar(100),
  "status" text NOT NULL DEFAULT 'active' CHECK ("status" IN ('active', 'disabled')),
  "created_at" datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE UNIQUE INDEX "users_email_uq" ON "users" ("email");

CREATE TABLE "posts" (
  "id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  "author_id" integer NOT NULL,
  "title" varchar(200) NOT NULL,
  "body" text,
  "published_at" datetime,
  CONSTRAINT "posts_author_fk" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE
);

CREATE INDEX "posts_author_published_idx" ON "posts" ("author_id", "published_at");

-- +down
-- hazard: destructive: drops table `posts` and all its rows
-- hazard: irreversible: the undo recreates table `posts` empty: its rows cannot be restored
DROP TABLE "posts";

-- hazard: destructive: drops table `users` and all its rows
-- hazard: irreversible: the undo recreates table `users` empty: its rows cannot be restored
DROP TABLE "users";
