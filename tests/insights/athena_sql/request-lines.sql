SELECT src.timestamp AS "@timestamp", src.function_name AS "@function", src.type AS "@type", src.level AS "@level", src.message AS "@message"
FROM (SELECT * FROM (SELECT src.*, row_number() OVER (PARTITION BY src.log_group, src.log_stream, src.event_id ORDER BY src.request_id IS NULL, src.ingestion_time) AS _copy FROM logs AS src WHERE src.timestamp >= TIMESTAMP '2026-12-01 06:30:00.000' AND src.date >= '2026-12-01' AND (src.date > '2026-12-01' OR src.hour >= 6) AND src.timestamp < TIMESTAMP '2026-12-02 06:30:00.000' AND src.date <= '2026-12-02' AND (src.date < '2026-12-02' OR src.hour <= 6) AND (src.request_id = '8f5c9a1e-0d7b-4c34-9d61-1f0f7a2b6c10')) WHERE _copy = 1) AS src
ORDER BY src.timestamp ASC NULLS LAST
LIMIT 10000
