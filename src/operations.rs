//! The Alto operations the facade calls, in one table: a named constant per operation (its
//! raw client method name, which is also the operation id in errors, tracing and metrics) and the
//! facade functions that call it.
//!
//! Every facade call names its operation through one of these constants
//! (`const OP: &str = operations::CREATE_CONTACT;`). A test reads the facade's source and holds
//! the table to the code both ways: each raw call and each constant use in a facade function is
//! listed here with that function, and each entry here is used by exactly the functions it lists.
//! The drift report marks an operation "used by the facade" from this table.

/// One operation the facade calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FacadeOperation {
    /// The raw client's method name (the operation id).
    pub id: &'static str,
    /// The facade functions that call it, as `Type::function`.
    pub callers: &'static [&'static str],
}

macro_rules! facade_operations {
    ($($name:ident = $id:literal by [$($caller:literal),+ $(,)?];)+) => {
        $(
            #[doc = concat!("`", $id, "`, called by ", $("`", $caller, "` "),+)]
            pub const $name: &str = $id;
        )+
        /// Every operation the facade calls, sorted by id.
        pub static FACADE_OPERATIONS: &[FacadeOperation] = &[
            $(FacadeOperation { id: $name, callers: &[$($caller),+] }),+
        ];
    };
}

facade_operations! {
    ADD_PROPERTY_OWNER = "add_property_owner" by ["Properties::add_owner"];
    CREATE_APPRAISAL = "create_appraisal" by ["Appointments::create_market_appraisal"];
    CREATE_CONTACT = "create_contact" by ["Contacts::create", "Contacts::create_or_existing"];
    CREATE_CONTACT_RELATIONSHIP = "create_contact_relationship" by ["Contacts::relate"];
    CREATE_FILE_NOTE = "create_file_note" by ["FileNotes::create"];
    CREATE_GENERAL_APPOINTMENT = "create_general_appointment" by ["Appointments::create_general"];
    CREATE_MEDIA_ITEM = "create_media_item" by ["Listings::add_media_item"];
    CREATE_PROPERTY = "create_property" by ["Properties::create"];
    CREATE_PROPERTY_CHARGE = "create_property_charge" by ["Properties::charge"];
    CREATE_PROPERTY_MEDIA_LINK = "create_property_media_link" by ["Listings::add_media_link"];
    CREATE_TENANCY_CHARGE = "create_tenancy_charge" by ["Tenancies::charge"];
    CREATE_VIEWING = "create_viewing" by ["Appointments::create_viewing"];
    DELETE_CONTACT_RELATIONSHIP = "delete_contact_relationship" by ["Contacts::unrelate"];
    DELETE_MEDIA_ITEM = "delete_media_item" by ["Listings::delete_media_item"];
    FILTER_LISTINGS = "filter_listings" by ["Listings::filter"];
    GET_APPOINTMENT = "get_appointment" by ["Appointments::get"];
    GET_CONTACT = "get_contact" by ["Contacts::get"];
    GET_CONTACT_PERSONS = "get_contact_persons" by ["Contacts::people"];
    GET_DOCUMENT_CONTENT = "get_document_content" by ["Documents::download"];
    GET_FILE_NOTE = "get_file_note" by ["FileNotes::get"];
    GET_GUARANTOR_IDS = "get_guarantor_ids" by ["Tenancies::guarantors"];
    GET_LISTING = "get_listing" by ["Listings::get"];
    GET_LISTING_IMAGE = "get_listing_image" by ["Listings::image"];
    GET_LISTINGS = "get_listings" by ["Listings::get_many"];
    GET_PROPERTY = "get_property" by ["Properties::get"];
    GET_REFERENCE_CHECKS = "get_reference_checks" by ["ReferenceChecks::list"];
    GET_TENANCY = "get_tenancy" by ["Tenancies::get"];
    GET_TENANT_IDS = "get_tenant_ids" by ["ReferenceChecks::parties", "Tenancies::tenants"];
    LIST_APPOINTMENT_SUB_TYPES = "list_appointment_sub_types" by ["Appointments::sub_types"];
    LIST_BRANCHES = "list_branches" by ["Branches::list"];
    LIST_CONTACT_RELATIONSHIPS = "list_contact_relationships" by ["Contacts::relationships"];
    LIST_CONTACTS = "list_contacts" by ["Contacts::list"];
    LIST_DOCUMENTS = "list_documents" by ["Documents::list", "Documents::list_of_type", "Documents::upload_once"];
    LIST_LISTING_IMAGES = "list_listing_images" by ["Listings::images"];
    LIST_NEGOTIATOR_APPOINTMENTS = "list_negotiator_appointments" by ["Appointments::diary_of"];
    LIST_NEGOTIATORS = "list_negotiators" by ["Branches::negotiators"];
    LIST_OWNERS = "list_owners" by ["Properties::find_existing"];
    LIST_PROPERTY_DOCUMENTS = "list_property_documents" by ["Documents::of_property"];
    LIST_PROPERTY_FILE_NOTES = "list_property_file_notes" by ["FileNotes::for_property"];
    LIST_TENANCIES = "list_tenancies" by ["Tenancies::list"];
    LIST_VALUATIONS = "list_valuations" by ["Appointments::valuations"];
    LIST_WORK_ORDER_DOCUMENTS = "list_work_order_documents" by ["Documents::of_work_order"];
    SEARCH_FILE_NOTES = "search_file_notes" by ["FileNotes::search"];
    SEARCH_PROPERTIES = "search_properties" by ["Properties::find_existing"];
    UPDATE_FILE_NOTE = "update_file_note" by ["FileNotes::update"];
    UPDATE_GENERAL_APPOINTMENT = "update_general_appointment" by ["Appointments::reschedule_general"];
    UPDATE_LISTING_ROOMS = "update_listing_rooms" by ["Listings::update_rooms"];
    UPDATE_LISTING_SUMMARY = "update_listing_summary" by ["Listings::update_summary"];
    UPDATE_REFERENCE_CHECK = "update_reference_check" by ["ReferenceChecks::set_status"];
    UPDATE_VIEWING = "update_viewing" by ["Appointments::reschedule_viewing"];
    UPLOAD_DOCUMENT = "upload_document" by ["Documents::upload", "Documents::upload_per_person"];
}

/// The entry for `id`, if the facade calls that operation.
pub fn facade_operation(id: &str) -> Option<&'static FacadeOperation> {
    FACADE_OPERATIONS.iter().find(|op| op.id == id)
}
