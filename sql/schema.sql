-- schema.sql: the whole current schema of Vitals, for reading, and for an
-- installation by hand:
--
--	mariadb < sql/schema.sql
--
-- The supported way to create or upgrade the schema is `vitals --migrate`,
-- which applies sql/migrations/NNN_*.sql; this file is what they add up
-- to (t/unit/migrate-t checks that both give the same tables, and that the
-- schema_version row below matches 001_initial.sql).  Grants are in
-- grants.sql, retention in README.md.
--
-- Times are Unix seconds (UTC by definition, no time zone in the server
-- or the session can shift them): ts is the start of a bucket.  Every
-- history row carries its host, so one database can hold a fleet.

CREATE DATABASE IF NOT EXISTS vitals
	CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE vitals;

-- One row per applied migration; the health probe reads MAX(version).
CREATE TABLE IF NOT EXISTS schema_version (
	version		INT UNSIGNED NOT NULL,
	name		VARCHAR(128) NOT NULL,
	checksum	CHAR(16) CHARACTER SET ascii NOT NULL,
	applied_at	TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
	PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- 10 s aggregates of the 1 s samples, kept 48 hours.  ts is the start of
-- the bucket in Unix seconds (a multiple of 10), UTC by definition.  Rates
-- are per second; _avg is the mean of the bucket's samples, _max its peak
-- (for available memory, _min: the low point is what matters).
CREATE TABLE IF NOT EXISTS samples_10s (
	host				VARBINARY(255) NOT NULL,
	ts				BIGINT NOT NULL,
	samples				SMALLINT UNSIGNED NOT NULL,
	cpu_percent_avg			DOUBLE NOT NULL,
	cpu_percent_max			DOUBLE NOT NULL,
	load1_avg			DOUBLE NOT NULL,
	load1_max			DOUBLE NOT NULL,
	mem_used_bytes_avg		BIGINT UNSIGNED NOT NULL,
	mem_used_bytes_max		BIGINT UNSIGNED NOT NULL,
	mem_available_bytes_avg		BIGINT UNSIGNED NOT NULL,
	mem_available_bytes_min		BIGINT UNSIGNED NOT NULL,
	swap_used_bytes_avg		BIGINT UNSIGNED NOT NULL,
	swap_used_bytes_max		BIGINT UNSIGNED NOT NULL,
	net_rx_bytes_per_second_avg	DOUBLE NOT NULL,
	net_rx_bytes_per_second_max	DOUBLE NOT NULL,
	net_tx_bytes_per_second_avg	DOUBLE NOT NULL,
	net_tx_bytes_per_second_max	DOUBLE NOT NULL,
	disk_read_bytes_per_second_avg	DOUBLE NOT NULL,
	disk_read_bytes_per_second_max	DOUBLE NOT NULL,
	disk_write_bytes_per_second_avg	DOUBLE NOT NULL,
	disk_write_bytes_per_second_max	DOUBLE NOT NULL,
	tcp_established_avg		DOUBLE NOT NULL,
	tcp_established_max		INT UNSIGNED NOT NULL,
	tcp_close_wait_avg		DOUBLE NOT NULL,
	tcp_close_wait_max		INT UNSIGNED NOT NULL,
	PRIMARY KEY (host, ts),
	KEY ts (ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- 1 min aggregates, kept 30 days: the same columns, ts a multiple of 60.
CREATE TABLE IF NOT EXISTS samples_1m (
	host				VARBINARY(255) NOT NULL,
	ts				BIGINT NOT NULL,
	samples				SMALLINT UNSIGNED NOT NULL,
	cpu_percent_avg			DOUBLE NOT NULL,
	cpu_percent_max			DOUBLE NOT NULL,
	load1_avg			DOUBLE NOT NULL,
	load1_max			DOUBLE NOT NULL,
	mem_used_bytes_avg		BIGINT UNSIGNED NOT NULL,
	mem_used_bytes_max		BIGINT UNSIGNED NOT NULL,
	mem_available_bytes_avg		BIGINT UNSIGNED NOT NULL,
	mem_available_bytes_min		BIGINT UNSIGNED NOT NULL,
	swap_used_bytes_avg		BIGINT UNSIGNED NOT NULL,
	swap_used_bytes_max		BIGINT UNSIGNED NOT NULL,
	net_rx_bytes_per_second_avg	DOUBLE NOT NULL,
	net_rx_bytes_per_second_max	DOUBLE NOT NULL,
	net_tx_bytes_per_second_avg	DOUBLE NOT NULL,
	net_tx_bytes_per_second_max	DOUBLE NOT NULL,
	disk_read_bytes_per_second_avg	DOUBLE NOT NULL,
	disk_read_bytes_per_second_max	DOUBLE NOT NULL,
	disk_write_bytes_per_second_avg	DOUBLE NOT NULL,
	disk_write_bytes_per_second_max	DOUBLE NOT NULL,
	tcp_established_avg		DOUBLE NOT NULL,
	tcp_established_max		INT UNSIGNED NOT NULL,
	tcp_close_wait_avg		DOUBLE NOT NULL,
	tcp_close_wait_max		INT UNSIGNED NOT NULL,
	PRIMARY KEY (host, ts),
	KEY ts (ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- What the tables above are: migration 001, as `vitals --migrate` records
-- it (the checksum is FNV-1a 64 of sql/migrations/001_initial.sql).
INSERT IGNORE INTO schema_version (version, name, checksum)
	VALUES (1, '001_initial', '708472bbaae33abf');
