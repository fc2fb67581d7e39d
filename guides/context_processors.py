from . import seo


def canonical_url(request):
    """The absolute canonical address of the page; it reads the path, never the session."""
    return {"canonical_url": seo.canonical_url(request)}
