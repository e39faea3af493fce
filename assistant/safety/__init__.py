"""Safety routes: crisis and emergency phrases that always decide the answer."""
