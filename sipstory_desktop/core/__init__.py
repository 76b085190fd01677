"""The pure-Python core shared by the window and the command line. No Qt here."""
