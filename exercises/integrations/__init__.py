"""Third-party runtimes behind small APIs, with no ORM imports (HackSoft's ``integrations``).

``embedding_runtime``: the sentence-embedding model (loading, OpenVINO or PyTorch, batching),
texts in, unit vectors out; ``openvino_encoder``: the OpenVINO graph it runs by default.
``exercises.embeddings`` is the domain side: which text describes an exercise, storing vectors,
staleness, the query cache.
"""
