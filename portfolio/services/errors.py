"""The domain errors, as the portfolio's services raise them (defined in samverkan, where
every app and the API's error handler can reach them without importing the portfolio)."""

from samverkan.domain_errors import DomainError, NotAllowedError, StaleVersionError

__all__ = ["DomainError", "NotAllowedError", "StaleVersionError"]
