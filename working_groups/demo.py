"""A dozen of BigScience's real working groups."""

from .models import WorkingGroup

GROUPS = [
    (
        "data-governance",
        "Data Governance",
        "How the workshop's data is owned, shared and used: a governance structure that respects the rights of data subjects and owners.",
    ),
    (
        "data-sourcing",
        "Data Sourcing",
        "Finding and documenting the sources of a large multilingual training corpus, with a focus on under-represented languages.",
    ),
    (
        "data-tooling",
        "Data Tooling",
        "Tools to collect, clean, deduplicate and filter the multilingual training data at scale.",
    ),
    (
        "tokenization",
        "Tokenization",
        "Designing and evaluating the tokenizer for a model that covers dozens of languages.",
    ),
    (
        "metadata",
        "Metadata",
        "Using metadata (URLs, timestamps, document structure) during training, and measuring what it brings.",
    ),
    (
        "modeling-architecture-and-scaling",
        "Modeling: Architecture and Scaling",
        "Choosing the model's architecture and training recipe through experiments at smaller scales.",
    ),
    (
        "modeling-multilinguality",
        "Modeling: Multilinguality",
        "Making the model work across languages, and studying how it shares knowledge between them.",
    ),
    (
        "prompt-engineering",
        "Prompt Engineering",
        "Collecting prompts for many datasets and studying zero-shot generalization through prompted multitask training.",
    ),
    (
        "engineering-and-scaling",
        "Engineering and Scaling",
        "Training a very large model on thousands of GPUs of the Jean Zay supercomputer: parallelism, stability, throughput.",
    ),
    (
        "evaluation",
        "Evaluation",
        "Measuring the model's abilities and limitations, across tasks and languages, extrinsically and intrinsically.",
    ),
    (
        "carbon-footprint",
        "Carbon Footprint",
        "Measuring and reporting the energy use and carbon emissions of the project's compute.",
    ),
    (
        "ethical-and-legal-scholarship",
        "Ethical and Legal Scholarship",
        "The ethical charter, licensing and legal questions of building and releasing large models and datasets.",
    ),
]


def load(context: dict) -> None:
    groups = {}
    for slug, name, short in GROUPS:
        groups[slug], _ = WorkingGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_description": short,
                "description": f"{short}\n\nThe group meets every two weeks online and works in the open: notes, "
                f"code and decisions are shared with the whole workshop.",
                "guidelines": "1. Read the group's notes and the open questions.\n2. Introduce yourself on the group's "
                "channel.\n3. Pick a task marked *good first task*, or ask a chair.",
                "links": [
                    {"label": "Group channel", "url": f"https://bigscience.example.org/chat/{slug}"},
                    {"label": "Working documents", "url": f"https://bigscience.example.org/docs/{slug}"},
                ],
                "is_open": slug != "engineering-and-scaling",
            },
        )
    context["groups"] = groups
