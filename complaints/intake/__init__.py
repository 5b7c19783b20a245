"""Intake by email and chat (WhatsApp, SMS): signed inbound webhooks and the mailbox poll."""
