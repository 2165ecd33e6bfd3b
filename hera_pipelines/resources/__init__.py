"""Cluster resources beside the flows: RBAC, secrets, semaphores, workspace, profiles, Argo CD."""
