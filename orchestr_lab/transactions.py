"""Prefect-style import path for transactions (``with transaction(key=...) as txn``)."""

from .engine.transactions import (
    CommitMode as CommitMode,
    IsolationLevel as IsolationLevel,
    Transaction as Transaction,
    TransactionState as TransactionState,
    atransaction as atransaction,
    get_transaction as get_transaction,
    transaction as transaction,
)

__all__ = [
    "CommitMode",
    "IsolationLevel",
    "Transaction",
    "TransactionState",
    "atransaction",
    "get_transaction",
    "transaction",
]
