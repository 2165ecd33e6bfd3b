"""hera-pipelines: GitOps manifests for an event-driven, multi-agent coding platform on Argo."""

__version__ = "0.1.0"

__all__ = ["__version__"]
