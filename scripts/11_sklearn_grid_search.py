"""Choosing (η, M) on validation folds: scikit-learn's GridSearchCV vs ``nda tune``.

Lecture 12, slide "Hyperparameters choice". What it computes, prints and
draws is the section ``nda_models.lecture.sections.sklearn_grid_search``
(``--help`` shows it), the same calls as
``notebooks/11_sklearn_grid_search.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import sklearn_grid_search as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    ds = section.load_data(scale=args.scale)
    search = section.grid_search_cv(ds, scale=args.scale)
    tuned = section.nda_tune(ds, scale=args.scale)
    cv_table = section.compare_choices(ds, search, tuned, scale=args.scale)
    figure = section.cv_heatmap(search, cv_table, scale=args.scale)
    save_figure(figure, folder, "grid_search_cv.png", close=True)
    figure = section.tune_heatmap(tuned)
    save_figure(figure, folder, "nda_tune.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
