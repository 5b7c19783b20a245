"""The outbox: every message is a row first (`queue`), then delivered by the sender registered
for its channel (`delivery`); `dispatch` hands work to Celery by task name."""
