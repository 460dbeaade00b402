"""Objects resolved in the channel they are seen in (prices, availability and visibility
depend on it), as Saleor's `ChannelContext`."""

from dataclasses import dataclass


@dataclass
class ChannelContext:
    """An object seen in a channel (a Channel, or None when not channel-scoped)."""

    node: object
    channel: object

    def __getattr__(self, name):
        if name in ("node", "channel"):
            raise AttributeError(name)
        return getattr(self.node, name)


def unwrap(root) -> tuple[object, object]:
    if isinstance(root, ChannelContext):
        return root.node, root.channel
    return root, None
