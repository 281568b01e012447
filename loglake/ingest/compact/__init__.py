"""Compaction: merge each closed hour's objects into one file, and the read side of it.

A compaction writes the merged object (``compacted-<id>.parquet``) beside the objects it
merged, then a manifest under ``_state/compaction/`` that lists each replaced object with its
ETag. Readers hide an object only when a manifest lists it with the same ETag and that
manifest's merged object is present. So each event is in one visible object, except in an
hour where two visible objects may share events, which readers read with duplicates removed.
A later compaction deletes the replaced objects once the manifest is older than the grace
period, which bounds how long a reader may keep using a listing.
"""
