#include "views/start_page.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/project/project.h"
#include "views/recent_projects.h"

namespace sn {

StartPage::StartPage(QWidget* parent) : QWidget(parent) {
  auto* title = new QLabel(tr("<h1>Supernet Studio</h1>"
                              "<p>Train a weight-sharing supernet, watch it learn, and explore "
                              "its subnets.</p>"));
  title->setWordWrap(true);
  auto* create = new QPushButton(tr("New Project…"));
  auto* open = new QPushButton(tr("Open Project…"));
  create->setMinimumHeight(36);
  open->setMinimumHeight(36);
  auto* buttons = new QHBoxLayout();
  buttons->addWidget(create);
  buttons->addWidget(open);
  buttons->addStretch(1);
  recent_ = new QListWidget();
  recent_->setObjectName("recentProjects");
  auto* column = new QVBoxLayout();
  column->addWidget(title);
  column->addLayout(buttons);
  column->addSpacing(16);
  column->addWidget(new QLabel(tr("<b>Recent projects</b> (double-click to open)")));
  column->addWidget(recent_, 1);
  auto* outer = new QHBoxLayout(this);
  outer->addStretch(1);
  outer->addLayout(column, 4);
  outer->addStretch(1);
  connect(create, &QPushButton::clicked, this, &StartPage::newProjectRequested);
  connect(open, &QPushButton::clicked, this, &StartPage::openProjectRequested);
  connect(recent_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
    Q_EMIT recentProjectChosen(item->data(Qt::UserRole).toString());
  });
  refresh();
}

void StartPage::refresh() {
  recent_->clear();
  for (const QString& dir : RecentProjects::list()) {
    const bool exists = QFileInfo::exists(QDir(dir).filePath(kProjectDatabase));
    auto* item = new QListWidgetItem(
        exists ? QStringLiteral("%1    %2").arg(QDir(dir).dirName(), dir)
               : tr("%1    %2 (missing)").arg(QDir(dir).dirName(), dir));
    item->setData(Qt::UserRole, dir);
    if (!exists) item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
    recent_->addItem(item);
  }
  if (recent_->count() == 0) recent_->addItem(tr("(none yet)"));
}

}  // namespace sn
