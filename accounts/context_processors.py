from .access import scope_for
from .models import DemoDataset


def navigation(request):
    """Expose the user's scope and whether demo data is loaded, for the menu and footer."""
    user = getattr(request, "user", None)
    return {
        "scope": scope_for(user),
        "demo_loaded": DemoDataset.objects.exists,
    }
