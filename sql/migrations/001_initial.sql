-- 001_initial.sql: the first schema of Vitals' history.
--
-- Applied by `vitals --migrate` into the database named in the option
-- file, as a user that may create tables (not the runtime user: see
-- grants.sql).  Every statement can run twice: a migration interrupted
-- half-way is simply run again.

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
