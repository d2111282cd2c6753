-- Webhook event types under Alto's published names (`Contact.Modified`, not `Contact.Updated`).
-- Earlier versions stored some events under names Alto does not send. Those with a real
-- counterpart are renamed; the others keep their name and read as an unknown type. What this
-- migration did is kept in alto_webhook_type_renames (one row per former name it found, with the
-- new name or NULL and how many events carried it); alto_webhook_unmapped_types lists the names
-- it could not map. The payload column keeps each body exactly as it was received.

CREATE TABLE alto_webhook_type_renames (
    former_type  TEXT    PRIMARY KEY NOT NULL,
    current_type TEXT    NULL,
    events       BIGINT  NOT NULL
);

INSERT INTO alto_webhook_type_renames (former_type, current_type, events)
SELECT event_type,
       CASE event_type
           WHEN 'Contact.Updated' THEN 'Contact.Modified'
           WHEN 'Property.Updated' THEN 'Property.Modified'
           WHEN 'Tenancy.Updated' THEN 'Tenancy.Modified'
           WHEN 'Appointment.Updated' THEN 'Appointment.Modified'
           WHEN 'Lead.Updated' THEN 'Lead.Modified'
           WHEN 'Offer.Updated' THEN 'Offer.Modified'
           ELSE NULL
       END,
       COUNT(*)
FROM alto_webhook_events
WHERE event_type IN ('Contact.Updated', 'Property.Updated', 'Tenancy.Updated',
                     'Appointment.Updated', 'Lead.Updated', 'Offer.Updated',
                     'Appointment.Cancelled', 'ReferenceCheck.Created', 'ReferenceCheck.Updated',
                     'Document.Created', 'Lead.Created', 'Listing.Updated', 'WorkOrder.Created',
                     'WorkOrder.Updated', 'ManagementEvent.Created', 'ManagementEvent.Updated',
                     'Landlord.Created', 'Landlord.Updated', 'Applicant.Created')
GROUP BY event_type;

UPDATE alto_webhook_events
SET event_type = (SELECT current_type FROM alto_webhook_type_renames
                  WHERE former_type = alto_webhook_events.event_type)
WHERE event_type IN (SELECT former_type FROM alto_webhook_type_renames
                     WHERE current_type IS NOT NULL);

CREATE VIEW alto_webhook_unmapped_types AS
    SELECT former_type, events FROM alto_webhook_type_renames WHERE current_type IS NULL;
