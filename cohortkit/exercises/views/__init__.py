"""The exercises app's pages, one module per audience of a page: learners answering,
the course team authoring, facilitators reading the item analysis."""
