"""Kabinet — личный кабинет клиента (customer self-service portal)."""

__version__ = "0.1.0"
