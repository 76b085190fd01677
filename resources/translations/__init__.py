"""The GUI's translations: .ts sources and the .qm files compiled from them
(packaging/translations.py makes both)."""
