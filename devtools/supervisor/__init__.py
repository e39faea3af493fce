"""Starting and stopping the assistant's processes (`make run`, end-to-end tests)."""
