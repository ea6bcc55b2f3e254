"""The clinic console: a FastAPI app of server-rendered pages, next to the bot."""
