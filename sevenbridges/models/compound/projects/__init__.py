"""Values of projects and members: settings, permissions."""
