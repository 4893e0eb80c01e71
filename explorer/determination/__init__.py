"""Coverage questions: code + diagnosis + product + setting -> a determination with its sources."""

from explorer.determination.determine import determine
from explorer.determination.model import Determination

__all__ = ["Determination", "determine"]
