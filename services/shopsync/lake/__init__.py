"""The raw lake's contract between extraction and load (ARCHITECTURE §3): object keys, and the
run manifest that is written last and triggers loading. Both sides import it; it imports
neither."""
