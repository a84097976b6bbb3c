#include "selection_plan.h"

#include <algorithm>
#include <cmath>

#include "document_model.h"

namespace leopard::ui {

std::optional<imaging::ImageTilePlan> SelectionPlan::planFor(int row, int page) const {
    for (size_t i = 0; i < items.size() && i < plan.images.size(); ++i)
        if (items[i].row == row && items[i].page == page) return plan.images[i];
    return std::nullopt;
}

SelectionPlan planSelection(const DocumentModel& model, int tileSize, int budget) {
    SelectionPlan out;
    out.tileSize = tileSize;
    out.budget = budget;
    for (int r = 0; r < model.documentCount(); ++r) {
        if (!model.renderer(r)) continue;
        for (int p = 0; p < model.pageCount(r); ++p)
            if (model.isIncluded(r, p)) out.items.push_back({r, p});
    }
    if (tileSize <= 0 || out.items.empty()) return out;
    // Each page is rendered for its share of the budget, as the ask API
    // renders it (render_policy.h), then the plan shares the budget out.
    const int share = modelPageBudget(budget, int(out.items.size()));
    std::vector<std::array<int, 2>> sizes;
    for (const auto& it : out.items) {
        const auto renderer = model.renderer(it.row);
        const QSizeF size = renderer->document().pageSize(it.page);
        const double scale = renderer->modelScale(it.page, tileSize, share);
        sizes.push_back({std::max(1, int(std::lround(size.width() * scale))),
                         std::max(1, int(std::lround(size.height() * scale)))});
    }
    out.plan = imaging::planTiles(sizes, tileSize, budget);
    return out;
}

}  // namespace leopard::ui
