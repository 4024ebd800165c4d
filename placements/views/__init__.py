"""The register's pages, by what they are about (``children``, ``episodes``, ``register``)."""
