"""The staff site: council staff sign in and change their own council's answers."""
