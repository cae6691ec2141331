"""The register's Qt interface: views, item models, dialogs and presenters. Calls services."""
