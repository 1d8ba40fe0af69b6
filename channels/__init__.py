"""The ways people reach the assistant: web chat (REST) today; SMS and voice join here."""
