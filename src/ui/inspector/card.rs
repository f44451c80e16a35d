//! The inspector for a card: its title, notes and channel; for an
//! opportunity, its action item and the pain points it addresses; for a
//! resource, its kind, need and cost; for any card, its evidence and its
//! state (today, planned, or removed in the future).

use egui::{RichText, Ui};

use super::fields::choice_ui;
use super::{Inspector, describe_cell};
use crate::edit::{Edit, GestureKey};
use crate::model::{
    ActionItem, Anchor, Card, CardId, Channel, Confidence, Evidence, LaneKind, Need, Priority,
    Resource, ResourceKind, Source, Status,
};

impl Inspector<'_> {
    pub(super) fn card_ui(&mut self, ui: &mut Ui, id: CardId) {
        let Some(card) = self.journey.card(id) else {
            return;
        };
        ui.heading("Card");
        let mut c = card.clone();
        let kind = self.journey.lane(card.lane).map(|l| l.kind);
        let mut changed = self
            .text_field_ui(ui, "Title", &mut c.title, false)
            .or(self.text_field_ui(ui, "Notes", &mut c.notes, true))
            .or(channel_picker_ui(ui, &mut c.channel));
        ui.label(RichText::new(describe_cell(self.journey, card.step, card.lane)).weak());
        if kind == Some(LaneKind::Opportunities) {
            changed = changed.or(self.action_item_ui(ui, &mut c));
        }
        if kind == Some(LaneKind::Resources) {
            changed = changed.or(self.resource_ui(ui, &mut c));
        }
        let (evidence, once) = self.evidence_ui(ui, &mut c);
        if once {
            self.edit_once(Edit::UpdateCard(c));
        } else if let Some(key) = changed.or(evidence) {
            self.edit(Edit::UpdateCard(c), key);
        }
        self.card_state_ui(ui, card);
        if kind == Some(LaneKind::Opportunities) {
            self.addressed_pains_ui(ui, id);
        }
        self.pain_list_ui(ui, Anchor::Card(id));
    }

    /// Priority, owner, status and due date of an opportunity.
    fn action_item_ui(&mut self, ui: &mut Ui, card: &mut Card) -> Option<GestureKey> {
        Self::section_ui(ui, "Action item");
        let mut plan = card.plan.clone().unwrap_or_default();
        if plan.is_overdue(self.today) {
            ui.label(
                RichText::new("⚠ Overdue")
                    .strong()
                    .color(ui.visuals().warn_fg_color),
            );
        }
        let priorities = Priority::ALL.map(|p| (p, p.label()));
        let statuses = Status::ALL.map(|s| (s, s.label()));
        // Priority and status side by side: two short drop-downs.
        let choices = ui.columns(2, |columns| match columns {
            [priority, status] => choice_ui(priority, "Priority", &mut plan.priority, &priorities)
                .or(choice_ui(status, "Status", &mut plan.status, &statuses)),
            _ => None,
        });
        let changed = choices
            .or(self.text_field_ui(ui, "Owner", &mut plan.owner, false))
            .or(self.date_field_ui(ui, "Due", &mut plan.due));
        if changed.is_some() {
            card.plan = (plan != ActionItem::default()).then_some(plan);
        }
        changed
    }

    /// The pain points an opportunity addresses: ticking one links it to
    /// this card (taking it from another opportunity), unticking unlinks.
    /// The ticks of one frame are one undo step.
    fn addressed_pains_ui(&mut self, ui: &mut Ui, id: CardId) {
        Self::section_ui(ui, "Pain points addressed");
        let journey = self.journey;
        if journey.pain_points.is_empty() {
            ui.label(RichText::new("The map has no pain points yet").weak());
            return;
        }
        let mut edits = Vec::new();
        for pain in &journey.pain_points {
            let mut linked = pain.opportunity == Some(id);
            let response = ui.checkbox(&mut linked, &pain.text);
            let elsewhere = pain
                .opportunity
                .filter(|other| *other != id)
                .and_then(|other| journey.card(other));
            let response = match elsewhere {
                Some(other) => response.on_hover_text(format!("Addressed by “{}”", other.title)),
                None => response,
            };
            if response.changed() {
                let mut p = pain.clone();
                p.opportunity = linked.then_some(id);
                edits.push(Edit::UpdatePain(p));
            }
        }
        if !edits.is_empty() {
            self.edit_once(Edit::Batch(edits));
        }
    }

    /// Kind, need and cost of a resource.
    fn resource_ui(&mut self, ui: &mut Ui, card: &mut Card) -> Option<GestureKey> {
        Self::section_ui(ui, "Resource");
        let mut resource = card.resource.clone().unwrap_or(Resource {
            kind: ResourceKind::People,
            need: Need::Required,
            cost: None,
        });
        let kinds = ResourceKind::ALL.map(|k| (k, k.label()));
        let needs = Need::ALL.map(|n| (n, n.label()));
        let cost_label = match self.journey.currency.trim() {
            "" => "Cost".to_owned(),
            currency => format!("Cost ({currency})"),
        };
        let choices = ui.columns(2, |columns| match columns {
            [kind, need] => choice_ui(kind, "Kind", &mut resource.kind, &kinds).or(choice_ui(
                need,
                "Need",
                &mut resource.need,
                &needs,
            )),
            _ => None,
        });
        let changed = choices.or(self.number_field_ui(ui, &cost_label, &mut resource.cost));
        if changed.is_some() {
            card.resource = Some(resource);
        }
        changed
    }

    /// Where the card comes from. Returns the typing's gesture key, and
    /// whether a button added or removed the evidence (its own undo step).
    fn evidence_ui(&mut self, ui: &mut Ui, card: &mut Card) -> (Option<GestureKey>, bool) {
        Self::section_ui(ui, "Evidence");
        let Some(mut evidence) = card.evidence.clone() else {
            if ui.button("Add evidence").clicked() {
                card.evidence = Some(Evidence {
                    source: Source::Interview,
                    confidence: Confidence::SomeEvidence,
                    quote: String::new(),
                    link: String::new(),
                });
                return (None, true);
            }
            return (None, false);
        };
        let sources = Source::ALL.map(|s| (s, s.label()));
        let levels = Confidence::ALL.map(|c| (c, c.label()));
        let choices = ui.columns(2, |columns| match columns {
            [source, confidence] => choice_ui(source, "Source", &mut evidence.source, &sources).or(
                choice_ui(confidence, "Confidence", &mut evidence.confidence, &levels),
            ),
            _ => None,
        });
        let changed = choices
            .or(self.text_field_ui(ui, "Quote", &mut evidence.quote, true))
            .or(self.text_field_ui(ui, "Link", &mut evidence.link, false));
        if ui.button("Remove evidence").clicked() {
            card.evidence = None;
            return (None, true);
        }
        if changed.is_some() {
            card.evidence = Some(evidence);
        }
        (changed, false)
    }
}

fn channel_picker_ui(ui: &mut Ui, channel: &mut Option<Channel>) -> Option<GestureKey> {
    let label = ui.label("Channel");
    let mut changed = None;
    egui::ComboBox::from_id_salt("card-channel")
        .selected_text(channel.map_or("None", Channel::label))
        .show_ui(ui, |ui| {
            if ui.selectable_value(channel, None, "None").changed() {
                changed = Some(label.id);
            }
            for c in Channel::ALL {
                if ui.selectable_value(channel, Some(c), c.label()).changed() {
                    changed = Some(label.id);
                }
            }
        })
        .response
        .labelled_by(label.id);
    changed
}
