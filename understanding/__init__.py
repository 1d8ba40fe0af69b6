"""How Waymark reads messages beyond what Rasa learns: gazetteers of the words people use for
substances and places, a spaCy pipeline built from them, and the Rasa component that uses it."""
