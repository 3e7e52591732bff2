"""«Тексты уведомлений»: administrators write an event's mail and SMS in Russian and English,
preview both, keep every version, and return to the shipped text."""
