// The tile plan of the pages selected for the next question (LEOPARD.md §3):
// which pages go to the model in which order (image 1, image 2 …), the size
// each is rendered at for the model (documents/render_policy.h), and how
// many tiles each gets from the shared budget. Drives the documents panel's
// live count and the viewer's tile-grid overlay.
//
//   SelectionPlan p = planSelection(model, /*tileSize=*/364, /*budget=*/50);
//   p.modelTiles();   // tiles the question will use
//
// Computed on the GUI thread from page sizes only (no rendering):
// microseconds per page.
#pragma once

#include <optional>
#include <vector>

#include "imaging/tile_plan.h"

namespace leopard::ui {

class DocumentModel;

struct SelectionPlan {
    struct Item {
        int row = 0;   // document row
        int page = 0;  // 0-based
    };
    std::vector<Item> items;  // prompt order
    imaging::TilePlan plan;   // one image per item
    int tileSize = 0;
    int budget = 0;           // tiles for the whole question

    int pages() const { return int(items.size()); }
    int modelTiles() const { return plan.totalModelTiles(); }
    // More pages than the budget has tiles: each keeps only its global view
    // and the question is over budget.
    bool overBudget() const { return pages() > budget; }
    std::optional<imaging::ImageTilePlan> planFor(int row, int page) const;
};

// Plans the included pages of every opened document. tileSize ≤ 0 (model
// unknown) gives items without a plan.
SelectionPlan planSelection(const DocumentModel& model, int tileSize, int budget);

}  // namespace leopard::ui
