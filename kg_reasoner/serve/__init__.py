"""HTTP API and web page for question answering over a graph (`kgr serve`)."""
