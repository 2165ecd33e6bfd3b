"""What the user says and what is detected: the pipelines.yaml models, defaults, the project."""
