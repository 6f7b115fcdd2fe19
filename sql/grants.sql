-- grants.sql: the runtime user of Vitals, with the least it needs.
--
-- Run as an administrator after the schema exists (schema.sql or
-- `vitals --migrate`), once the placeholder below is replaced by the real
-- password, escaped for an SQL string ('' for ', \\ for \):
--
--	sed "s/@VITALS_DB_PASSWORD@/$pw/g" sql/grants.sql | mariadb
--
-- No secret is committed: an unreplaced placeholder stops the script
-- before any user is created.  Running it again converges: the password is
-- reset and the privileges become exactly the list below.
--
-- 'vitals'@'localhost' is the account for a client on the server's own
-- Unix socket (socket= in the option file), which is how Vitals and its
-- database are meant to share a host.  For a database on another host,
-- create 'vitals'@'<the app host>' with the same grants.

EXECUTE IMMEDIATE IF('@VITALS_DB_PASSWORD@' IN
	(CONCAT('@VITALS_DB', '_PASSWORD@'), ''),
	'SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ''grants.sql: replace the password placeholder first''',
	'DO 0');

CREATE USER IF NOT EXISTS 'vitals'@'localhost'
	IDENTIFIED BY '@VITALS_DB_PASSWORD@';
ALTER USER 'vitals'@'localhost' IDENTIFIED BY '@VITALS_DB_PASSWORD@';

-- Start from nothing, so a second run removes what someone added by hand.
REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'vitals'@'localhost';

-- SELECT: the health probe (schema_version) and /api/history.
-- INSERT: the recorder writes the 10 s and 1 min aggregates.
-- UPDATE: the recorder's INSERT ... ON DUPLICATE KEY UPDATE, which makes
--	re-sending a batch idempotent after a timeout (the first attempt may
--	have committed) and lets a bucket be completed by a backfill.
-- DELETE: retention (vt_db_prune(): bounded batches of old rows).
-- Not granted: CREATE, ALTER, DROP, INDEX (migrations run as an
-- administrator), FILE, PROCESS, SUPER, GRANT OPTION, or anything outside
-- the vitals database.
GRANT SELECT, INSERT, UPDATE, DELETE ON vitals.* TO 'vitals'@'localhost';
