"""Sampling methods of SGD: random uniform, reshuffling each epoch, pre-shuffling once.

Lecture 12, slide "Incremental gradient methods". What it computes, prints
and draws is the section ``nda_models.lecture.sections.sampling_methods``
(``--help`` shows it), the same calls as
``notebooks/08_sampling_methods.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import sampling_methods as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    ds, optimum = section.least_squares_optimum()
    paths = section.train_samplings(ds, optimum, scale=args.scale)
    figure = section.sampling_figure(paths, optimum)
    save_figure(figure, folder, "sampling_methods.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
