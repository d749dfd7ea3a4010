"""The wiki app listens to nothing yet; other apps listen to wiki.signals."""
