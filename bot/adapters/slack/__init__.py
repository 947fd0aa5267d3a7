"""The Slack adapter: bolt AsyncApp over aiohttp (HTTP) or Socket Mode, around the core."""
