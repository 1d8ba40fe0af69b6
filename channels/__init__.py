"""The ways people reach the assistant: web chat (REST) and its page, SMS and voice on Twilio,
and the staff lookup page. Channels know the assistant; the assistant and actions know no channel."""
