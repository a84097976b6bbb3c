#include "conversation_pane.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QTextBrowser>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace leopard::ui {

namespace {
constexpr const char* kPageScheme = "leopard-page";
constexpr const char* kTurnScheme = "leopard-turn";

// A question is shown as typed: escape what Markdown would interpret.
QString escapeMarkdown(const QString& text) {
    QString out;
    for (QChar c : text) {
        if (QStringLiteral("\\`*_{}[]()#+-.!<>|").contains(c)) out += '\\';
        out += c;
    }
    return out;
}
}  // namespace

ConversationPane::ConversationPane(QWidget* parent) : QWidget(parent) {
    browser_ = new QTextBrowser(this);
    browser_->setOpenLinks(false);
    browser_->setPlaceholderText(tr("Open documents, choose their pages, then ask a question below."));
    edit_ = new QPlainTextEdit(this);
    edit_->setPlaceholderText(tr("Ask about the selected pages… (Ctrl+Enter)"));
    edit_->setTabChangesFocus(true);
    edit_->setMaximumHeight(edit_->fontMetrics().lineSpacing() * 5 + 12);
    askButton_ = new QPushButton(tr("Ask"), this);
    askButton_->setToolTip(tr("Ask about the selected pages (Ctrl+Enter)"));
    stopButton_ = new QPushButton(tr("Stop"), this);
    stopButton_->setToolTip(tr("Stop the answer (Esc)"));
    stopButton_->setEnabled(false);
    note_ = new QLabel(this);
    note_->setWordWrap(true);
    note_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(askButton_);
    buttons->addWidget(stopButton_);
    buttons->addStretch();
    auto* input = new QHBoxLayout;
    input->addWidget(edit_, 1);
    input->addLayout(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(browser_, 1);
    layout->addLayout(input);
    layout->addWidget(note_);

    connect(askButton_, &QPushButton::clicked, this, &ConversationPane::ask);
    connect(stopButton_, &QPushButton::clicked, this, &ConversationPane::stop);
    for (const QKeySequence& k : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto* sc = new QShortcut(k, edit_, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
        connect(sc, &QShortcut::activated, this, &ConversationPane::ask);
    }
    auto* esc = new QShortcut(QKeySequence(Qt::Key_Escape), this, nullptr, nullptr, Qt::WindowShortcut);
    connect(esc, &QShortcut::activated, this, &ConversationPane::stop);
    connect(browser_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() == kPageScheme) {
            Q_EMIT pageLinkActivated(url.path(), QUrlQuery(url).queryItemValue("page").toInt());
        } else if (url.scheme() == kTurnScheme) {
            clickedTurn_ = url.path().toInt();
        }
    });
    renderTimer_.setSingleShot(true);
    renderTimer_.setInterval(50);
    connect(&renderTimer_, &QTimer::timeout, this, &ConversationPane::render);
}

QUrl ConversationPane::pageLink(const QString& file, int page) {
    QUrl url;
    url.setScheme(kPageScheme);
    url.setPath(file);
    url.setQuery(QStringLiteral("page=%1").arg(page));
    return url;
}

void ConversationPane::showLog(const ConversationLog& log) {
    const bool newConversation = log.path != log_.path;
    log_ = log;
    if (newConversation) clickedTurn_ = -1;
    if (!renderTimer_.isActive()) renderTimer_.start();
    // A first showing renders at once so the window never shows stale text.
    if (newConversation) render();
}

QString ConversationPane::markdownFor(const ConversationLog& log) const {
    QString md;
    for (size_t i = 0; i < log.turns.size(); ++i) {
        const ChatTurn& t = log.turns[i];
        md += QStringLiteral("#### [%1](%2:%3) %4\n\n")
                  .arg(tr("Q%1").arg(i + 1), kTurnScheme)
                  .arg(i)
                  .arg(escapeMarkdown(QString::fromStdString(t.question).simplified()));
        if (!t.error.isEmpty()) {
            md += QStringLiteral("*%1*\n\n").arg(escapeMarkdown(t.error));
            continue;
        }
        md += QString::fromStdString(t.answer);
        if (t.streaming) md += QStringLiteral(" ▍");
        md += QStringLiteral("\n\n");
        if (!t.streaming && t.finishReason == FinishReason::Cancelled) md += tr("*(stopped)*") + "\n\n";
        if (!t.pages.empty()) {
            QStringList links;
            for (const PageUsed& p : t.pages)
                links << QStringLiteral("[%1 p. %2](%3)")
                             .arg(escapeMarkdown(QFileInfo(p.file).fileName()))
                             .arg(p.page)
                             .arg(QString::fromUtf8(pageLink(p.file, p.page).toEncoded()));
            md += tr("Sources: ") + links.join(QStringLiteral(" · ")) + "\n\n";
        }
        if (!t.streaming && t.timings.tokensPerSecond > 0)
            md += tr("*%n token(s), %1 tokens/s — %2*", nullptr, int(t.timings.generatedTokens))
                      .arg(t.timings.tokensPerSecond, 0, 'f', 1)
                      .arg(escapeMarkdown(t.model.name)) +
                  "\n\n";
        md += QStringLiteral("---\n\n");
    }
    return md;
}

void ConversationPane::render() {
    QScrollBar* bar = browser_->verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4;
    const int keep = bar->value();
    browser_->setMarkdown(markdownFor(log_));
    bar->setValue(atEnd ? bar->maximum() : keep);
}

void ConversationPane::setBusy(bool busy) {
    busy_ = busy;
    askButton_->setEnabled(!busy);
    stopButton_->setEnabled(busy);
}

void ConversationPane::setNote(const QString& text) { note_->setText(text); }
QString ConversationPane::note() const { return note_->text(); }
QString ConversationPane::question() const { return edit_->toPlainText().trimmed(); }
void ConversationPane::clearQuestion() { edit_->clear(); }
void ConversationPane::setQuestion(const QString& text) { edit_->setPlainText(text); }

int ConversationPane::selectedTurn() const {
    if (clickedTurn_ >= 0 && clickedTurn_ < int(log_.turns.size())) return clickedTurn_;
    return int(log_.turns.size()) - 1;
}

QString ConversationPane::renderedText() const { return browser_->toPlainText(); }

void ConversationPane::ask() {
    if (busy_ || question().isEmpty()) return;
    Q_EMIT askRequested(question());
}

void ConversationPane::stop() {
    if (busy_) Q_EMIT stopRequested();
}

}  // namespace leopard::ui
