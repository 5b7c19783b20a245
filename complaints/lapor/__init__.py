"""The connectors' interface: the SP4N-LAPOR! inbound webhook, the outbox senders for the
`lapor` and `webhook` channels, the relay task, and the agencies' webhook subscription pages."""


def register() -> None:
    """Start-up wiring (complaints.apps): the senders, their resolver and the relay task."""
    from importlib import import_module

    from complaints.models import Notification
    from complaints.outbox.delivery import register_resolver, register_sender

    senders = import_module("complaints.lapor.senders")
    register_sender(Notification.Channel.LAPOR, senders.lapor_send)
    register_sender(Notification.Channel.WEBHOOK, senders.webhook_send)
    register_resolver(senders.connector_subject)
    import_module("complaints.lapor.tasks")
    import_module("complaints.lapor.admin")
