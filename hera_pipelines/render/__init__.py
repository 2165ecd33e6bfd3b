"""Project → validated objects → bytes → folder: the render pipeline and its one YAML writer."""
