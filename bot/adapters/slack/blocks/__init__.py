"""All Block Kit of the app is built here, from core results; listeners only send it."""
