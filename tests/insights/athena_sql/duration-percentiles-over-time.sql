SELECT from_unixtime(floor(to_unixtime(src.timestamp) / 300) * 300) AS "time", count(*) AS "invocations", approx_percentile(src.duration_ms, ARRAY[0.5e0, 0.9e0, 0.99e0])[1] AS "p50", approx_percentile(src.duration_ms, ARRAY[0.5e0, 0.9e0, 0.99e0])[2] AS "p90", approx_percentile(src.duration_ms, ARRAY[0.5e0, 0.9e0, 0.99e0])[3] AS "p99", max(src.duration_ms) AS "maxDuration"
FROM (SELECT * FROM (SELECT src.*, row_number() OVER (PARTITION BY src.log_group, src.log_stream, src.event_id ORDER BY src.request_id IS NULL, src.ingestion_time) AS _copy FROM logs AS src WHERE src.timestamp >= TIMESTAMP '2026-12-01 06:30:00.000' AND src.date >= '2026-12-01' AND (src.date > '2026-12-01' OR src.hour >= 6) AND src.timestamp < TIMESTAMP '2026-12-02 06:30:00.000' AND src.date <= '2026-12-02' AND (src.date < '2026-12-02' OR src.hour <= 6) AND (src.type = 'REPORT')) WHERE _copy = 1) AS src
GROUP BY 1
ORDER BY from_unixtime(floor(to_unixtime(src.timestamp) / 300) * 300) ASC NULLS LAST
LIMIT 10000
