<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="es_ES">
<context>
    <name>App</name>
    <message>
        <location filename="../../pos_app/ui/app.py" line="71"/>
        <source>Ha ocurrido un error inesperado: {error}

{state}

El detalle está en el registro de la aplicación.</source>
        <translation>An unexpected error occurred: {error}

{state}

The details are in the application log.</translation>
    </message>
    <message>
        <location filename="../../pos_app/cli.py" line="164"/>
        <source>No había ninguna venta en curso.</source>
        <translation>No sale was in progress.</translation>
    </message>
    <message>
        <location filename="../../pos_app/cli.py" line="165"/>
        <source>La venta en curso NO se ha guardado; las ventas completadas sí lo están.</source>
        <translation>The sale in progress was NOT saved; completed sales are saved.</translation>
    </message>
</context>
<context>
    <name>AttentionDialog</name>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="76"/>
        <source>Requiere atención</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="83"/>
        <source>Eventos que la central rechazó o aplicó con un conflicto, y eventos que esta caja perdió antes de enviarlos. Revise cada uno y márquelo como revisado cuando esté resuelto.</source>
        <translation>Events the backend rejected or applied with a conflict, and events this register lost before sending them. Review each one and mark it as reviewed once it is settled.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="100"/>
        <source>Marcar como revisado</source>
        <translation>Mark as reviewed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="103"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
<context>
    <name>AttentionTableModel</name>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="30"/>
        <source>Fecha</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="31"/>
        <source>Tipo</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="32"/>
        <source>Estado</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="33"/>
        <source>Motivo</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="47"/>
        <source>Venta</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="48"/>
        <source>Venta anulada</source>
        <translation>Voided sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="49"/>
        <source>Eventos perdidos</source>
        <translation>Lost events</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="53"/>
        <source>Rechazado</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="54"/>
        <source>Aplicado con conflicto</source>
        <translation>Applied with a conflict</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="55"/>
        <source>No enviados (perdidos en esta caja)</source>
        <translation>Not sent (lost on this register)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="60"/>
        <source>Eventos de esta caja que nunca llegaron a la central y ya no están en ella (¿una copia de seguridad restaurada?). Revise las ventas de ese momento; los pendientes posteriores se enviaron.</source>
        <translation>Events of this register that never reached the backend and are no longer on it (a restored backup?). Check the sales of that time; the pending events after them were sent.</translation>
    </message>
</context>
<context>
    <name>CartTableModel</name>
    <message>
        <location filename="../../pos_app/ui/cart_table_model.py" line="24"/>
        <source>Artículo</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cart_table_model.py" line="25"/>
        <source>Cantidad</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cart_table_model.py" line="26"/>
        <source>Precio</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cart_table_model.py" line="27"/>
        <source>Descuento</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cart_table_model.py" line="28"/>
        <source>Importe</source>
        <translation>Amount</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="101"/>
        <source>Descuento en porcentaje o en euros:</source>
        <translation>Discount as a percentage or in euros:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="104"/>
        <source>Porcentaje (%)</source>
        <translation>Percentage (%)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="105"/>
        <source>Importe (€)</source>
        <translation>Amount (€)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="113"/>
        <source>Quitar descuento</source>
        <translation>Remove discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="135"/>
        <source>Escriba un porcentaje (hasta 100) o un importe mayor que cero.</source>
        <translation>Enter a percentage (up to 100) or an amount above zero.</translation>
    </message>
</context>
<context>
    <name>ErrorMessages</name>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="36"/>
        <source>no se leyó nada</source>
        <translation>nothing was read</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="37"/>
        <source>tiene caracteres que no son dígitos</source>
        <translation>it contains characters that are not digits</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="38"/>
        <source>no tiene la longitud de un código EAN/UPC</source>
        <translation>it does not have the length of an EAN/UPC code</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="40"/>
        <source>el dígito de control no cuadra (lectura errónea)</source>
        <translation>the check digit does not match (misread)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="43"/>
        <source>la etiqueta de peso o precio marca cero</source>
        <translation>the weight or price label shows zero</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="50"/>
        <source>El código «{code}» no se ha leído entero o trae datos que no se entienden. Escanee otra vez o teclee el código del producto.</source>
        <translation>The code “{code}” was not read completely or has data that cannot be understood. Scan it again or type the product code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="57"/>
        <source>El código «{code}» se ha leído mal (el dígito de control del producto no cuadra). Escanee otra vez o teclee el código del producto.</source>
        <translation>The code “{code}” was misread (the product’s check digit does not match). Scan it again or type the product code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="64"/>
        <source>El código «{code}» no es de un producto: parece una etiqueta de envío o de palé. Escanee el código del artículo o búsquelo por nombre (F2).</source>
        <translation>The code “{code}” is not a product’s: it looks like a shipping or pallet label. Scan the item’s own code or search for it by name (F2).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="71"/>
        <source>La etiqueta «{code}» da el peso en libras u onzas y aquí se vende por kilos. Pese el artículo en una balanza de la tienda o avise al encargado.</source>
        <translation>The label “{code}” gives the weight in pounds or ounces, and this store sells by the kilo. Weigh the item on one of the store’s scales or call the supervisor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="78"/>
        <source>La etiqueta «{code}» marca el precio en una moneda que no es el euro. Avise al encargado: hay que etiquetar el artículo de nuevo.</source>
        <translation>The label “{code}” gives the price in a currency other than the euro. Call the supervisor: the item must be relabelled.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="85"/>
        <source>La etiqueta «{code}» marca un precio con fracciones de céntimo. Avise al encargado: hay que etiquetar el artículo de nuevo.</source>
        <translation>The label “{code}” gives a price with fractions of a cent. Call the supervisor: the item must be relabelled.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="92"/>
        <source>La etiqueta «{code}» trae un peso, pero este producto no se vende a peso. Escanee el código impreso en el envase o avise al encargado.</source>
        <translation>The label “{code}” carries a weight, but this product is not sold by weight. Scan the code printed on the package or call the supervisor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="126"/>
        <source>Las ventas se siguen guardando en esta caja, pero no se envían.</source>
        <translation>Sales are still saved on this register, but they are not sent.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="133"/>
        <source>La central dio de baja esta caja el {date} a las {time} (UTC).</source>
        <translation>The backend withdrew this register on {date} at {time} (UTC).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="137"/>
        <source>La central dio de baja esta caja.</source>
        <translation>The backend withdrew this register.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="139"/>
        <source>⚠ Caja dada de baja en la central</source>
        <translation>⚠ Register withdrawn by the backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="144"/>
        <location filename="../../pos_app/ui/error_messages.py" line="161"/>
        <source>Pida a IT un código de alta nuevo y dé de alta la caja otra vez (mostrador enroll).</source>
        <translation>Ask IT for a new enrolment code and enrol the register again (mostrador enroll).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="154"/>
        <source>⚠ La central no reconoce esta caja</source>
        <translation>⚠ The backend does not recognise this register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="157"/>
        <source>La central rechaza la credencial de esta caja.</source>
        <translation>The backend refuses this register&apos;s credentials.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="171"/>
        <source>⚠ Versión incompatible con la central</source>
        <translation>⚠ Version incompatible with the backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="174"/>
        <source>Esta caja y la central no hablan la misma versión del protocolo.</source>
        <translation>This register and the backend do not speak the same protocol version.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="179"/>
        <source>Avise a IT para que actualice la caja o la central.</source>
        <translation>Ask IT to update the register or the backend.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="194"/>
        <source>No se pudo sincronizar con la central: {error}</source>
        <translation>Could not sync with the backend: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="205"/>
        <source>Código «{code}» no válido: {reason}. Vuelva a escanear.</source>
        <translation>Invalid code “{code}”: {reason}. Please scan again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="209"/>
        <source>El código «{code}» no está en el catálogo. Búsquelo por nombre (F2).</source>
        <translation>Code “{code}” is not in the catalogue. Search by name (F2).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="213"/>
        <source>No hay ninguna venta en curso.</source>
        <translation>There is no sale in progress.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="215"/>
        <source>Hay una venta en curso: apárquela o termínela antes de recuperar otra.</source>
        <translation>A sale is in progress: park or finish it before resuming another.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="220"/>
        <source>Esa línea ya no está en la venta.</source>
        <translation>That line is no longer in the sale.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="222"/>
        <source>Cantidad no válida: {q}.</source>
        <translation>Invalid quantity: {q}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="226"/>
        <source>Descuento no válido.</source>
        <translation>Invalid discount.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="228"/>
        <source>Hay un cobro en curso: anule los pagos antes de cambiar la venta.</source>
        <translation>A payment is in progress: remove the payments before changing the sale.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="232"/>
        <source>Con tarjeta no se puede cobrar más de lo pendiente ({due}).</source>
        <translation>A card cannot pay more than is due ({due}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="236"/>
        <source>Faltan {due} por cobrar.</source>
        <translation>{due} still to pay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="240"/>
        <source>No queda nada por cobrar.</source>
        <translation>Nothing is left to pay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="243"/>
        <source>Introduzca la referencia de la operación del datáfono.</source>
        <translation>Enter the card terminal&apos;s transaction reference.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="246"/>
        <source>Importe no válido.</source>
        <translation>Invalid amount.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="248"/>
        <source>No se encontró: {key}.</source>
        <translation>Not found: {key}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="252"/>
        <source>El producto tiene un tipo de impuesto sin tarifa vigente ({tax}).</source>
        <translation>The product&apos;s tax class has no rate in force ({tax}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="256"/>
        <source>La venta NO se ha guardado ({reason}). El carrito y los pagos siguen aquí: resuelva el problema y pulse otra vez «Completar venta».</source>
        <translation>The sale was NOT saved ({reason}). The cart and the payments are still here: fix the problem and press “Complete sale” again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="262"/>
        <source>Hay {n} eventos (ventas, anulaciones…) que aún no han llegado a la central: no se puede borrar esta caja hasta que se sincronicen.</source>
        <translation>{n} events (sales, voids…) have not reached the backend yet: this register cannot be erased until they are synced.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="268"/>
        <source>La caja no está configurada: {what}.</source>
        <translation>The register is not configured: {what}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="273"/>
        <source>Error inesperado: {error}</source>
        <translation>Unexpected error: {error}</translation>
    </message>
</context>
<context>
    <name>HardwareSettingsDialog</name>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="109"/>
        <source>Dispositivos de la caja</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="117"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="164"/>
        <source>Impresora</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="118"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="165"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="275"/>
        <source>Cajón</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="119"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="166"/>
        <source>Escáner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="120"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="167"/>
        <source>Visor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="121"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="168"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="380"/>
        <source>Báscula</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="133"/>
        <source>Guardar y aplicar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="137"/>
        <source>Cerrar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="200"/>
        <source>Red (TCP 9100)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="201"/>
        <source>USB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="202"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="352"/>
        <source>Serie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="203"/>
        <source>Impresora de Windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="204"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="241"/>
        <source>Archivo o dispositivo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="205"/>
        <source>Solo vista previa en pantalla</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="206"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="375"/>
        <source>Ninguna</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="224"/>
        <source>80 mm (48 columnas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="224"/>
        <source>58 mm (32 columnas)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="230"/>
        <source>ruta de una imagen (opcional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="233"/>
        <source>Conexión</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="234"/>
        <source>Dirección IP o nombre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="235"/>
        <source>Puerto TCP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="236"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="314"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="360"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="381"/>
        <source>Puerto serie</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="237"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="315"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="361"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="382"/>
        <source>Velocidad (baudios)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="238"/>
        <source>USB: fabricante (hex)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="239"/>
        <source>USB: producto (hex)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="240"/>
        <source>Nombre de la impresora</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="242"/>
        <source>Papel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="243"/>
        <source>Tiempo de espera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="244"/>
        <source>Logotipo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="245"/>
        <source>Código QR (opcional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="256"/>
        <source>Imprimir prueba</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="266"/>
        <source>Conectado a la impresora de tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="267"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="296"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="352"/>
        <source>Ninguno</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="270"/>
        <source>Pin 2 (el habitual)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="270"/>
        <source>Pin 5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="271"/>
        <source>Abrir al cobrar en efectivo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="273"/>
        <source>Permitir abrirlo sin venta (se pide un motivo y queda registrado)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="276"/>
        <source>Conector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="281"/>
        <source>Motivo, p. ej. «prueba del cajón»</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="282"/>
        <source>Motivo</source>
        <translation type="unfinished">Reason</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="284"/>
        <source>Abrir cajón</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="294"/>
        <source>Teclado (USB HID, «keyboard wedge»)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="295"/>
        <source>Serie o USB-CDC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="309"/>
        <source>Tipo</source>
        <translation type="unfinished">Type</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="310"/>
        <source>Prefijo (opcional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="311"/>
        <source>Sufijo (opcional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="312"/>
        <source>Pausa máxima entre teclas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="313"/>
        <source>Longitud mínima</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="316"/>
        <source>Terminador</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="332"/>
        <source>Prueba: escanee cualquier código; aparecerá aquí y no se añadirá a la venta.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="343"/>
        <source>Calibrar distribución de teclado</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="359"/>
        <source>Visor de cliente</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="362"/>
        <source>Juego de órdenes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="363"/>
        <source>Columnas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="364"/>
        <source>Saludo en reposo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="366"/>
        <source>Probar visor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="375"/>
        <source>Serie (Mettler Toledo 8217)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="384"/>
        <source>Leer peso</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="537"/>
        <source>No se pudieron aplicar los cambios: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="545"/>
        <source>Revise los ajustes: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="549"/>
        <source>Ajustes guardados y aplicados.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="570"/>
        <source>sin configurar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="571"/>
        <source>conectando…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="572"/>
        <source>lista</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="573"/>
        <source>desconectada</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="574"/>
        <source>sin papel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="575"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="609"/>
        <source>Imprimiendo la página de prueba…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="617"/>
        <source>Página de prueba enviada. Compruebe las eñes, los acentos y el euro; su código de barras sirve para calibrar el escáner.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="627"/>
        <source>prueba desde Dispositivos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="632"/>
        <source>Cajón abierto (queda registrado).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="637"/>
        <source>El cajón no se abrió: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="656"/>
        <source>Visor: compruebe las dos líneas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="658"/>
        <source>No hay visor configurado.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="663"/>
        <source>El visor no responde: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="675"/>
        <source>Peso: {kg} kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="685"/>
        <source>La calibración es para escáneres de tipo teclado.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="690"/>
        <source>Calibración: escanee el código de barras de la página de prueba (Imprimir prueba, en la pestaña Impresora).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="705"/>
        <source>válido ({kind})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="710"/>
        <source>Recibido: {code}
{verdict}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="727"/>
        <source>El escáner escribe con otra distribución de teclado: se corregirá automáticamente. Pulse «Guardar y aplicar».</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="733"/>
        <source>Calibración correcta: el escáner y el sistema coinciden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="739"/>
        <source>No se puede corregir: {problem}. Configure el escáner con la distribución de teclado del sistema (vea su manual) o use el modo serie (USB-CDC).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="749"/>
        <source>Correcciones de teclado: {pairs}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="113"/>
        <source>Mostrador — {store} · Caja {register}</source>
        <translation>Mostrador — {store} · Register {register}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="128"/>
        <source>Escanee o escriba un código de barras o SKU y pulse Intro</source>
        <translation>Scan or type a barcode or SKU and press Enter</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="198"/>
        <source>TOTAL</source>
        <translation>TOTAL</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="210"/>
        <source>Artículos</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="212"/>
        <source>Descuento</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="215"/>
        <source>Impuestos incluidos</source>
        <translation>Taxes included</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="227"/>
        <source>Ver último ticket (F8)</source>
        <translation>View last receipt (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="234"/>
        <source>COBRAR (F12)</source>
        <translation>PAY (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="247"/>
        <source>Buscar</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="248"/>
        <source>Cantidad</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="249"/>
        <source>Dto. línea</source>
        <translation>Line disc.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="250"/>
        <source>Dto. total</source>
        <translation>Total disc.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="251"/>
        <source>Quitar línea</source>
        <translation>Remove line</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="252"/>
        <source>Aparcar</source>
        <translation>Park</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="253"/>
        <source>Recuperar</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="254"/>
        <source>Anular venta</source>
        <translation>Void sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="255"/>
        <source>Reimprimir último</source>
        <translation>Reprint last</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="256"/>
        <source>Ventas de hoy</source>
        <translation>Today&apos;s sales</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="260"/>
        <location filename="../../pos_app/ui/main_window.py" line="528"/>
        <source>Abrir cajón</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="261"/>
        <source>Dispositivos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="265"/>
        <source>Supr</source>
        <translation>Del</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="281"/>
        <source>{store} · Caja {register} · {cashier}</source>
        <translation>{store} · Register {register} · {cashier}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="288"/>
        <location filename="../../pos_app/ui/main_window.py" line="504"/>
        <source>Impresora: {name}</source>
        <translation>Printer: {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="390"/>
        <source>Descuento de línea</source>
        <translation>Line discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="398"/>
        <source>Descuento sobre el total</source>
        <translation>Discount on the total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="410"/>
        <source>Aparcar venta</source>
        <translation>Park sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="411"/>
        <source>Una nota para reconocerla al recuperarla (opcional):</source>
        <translation>A note to recognise it when resuming (optional):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="421"/>
        <source>No hay ventas aparcadas.</source>
        <translation>There are no parked sales.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="435"/>
        <source>Anular venta en curso</source>
        <translation>Void the sale in progress</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="436"/>
        <source>Motivo de la anulación (queda registrado con su nombre y la hora):</source>
        <translation>Reason for voiding (recorded with your name and the time):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="458"/>
        <source>Ticket {number}</source>
        <translation>Receipt {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="475"/>
        <source>Se está cobrando: termine o cancele el cobro antes de escanear.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="491"/>
        <source>{device}: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="510"/>
        <source>Impresora</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="511"/>
        <source>Cajón</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="512"/>
        <source>Escáner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="513"/>
        <source>Visor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="514"/>
        <source>Báscula</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="519"/>
        <source>desconectado</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="520"/>
        <source>sin papel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="521"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="529"/>
        <source>Motivo de la apertura (queda registrado con su nombre y la hora):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="537"/>
        <source>Cajón abierto y registrado.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="540"/>
        <source>El cajón no se abrió: {error}. Revise la impresora.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="591"/>
        <source>&lt;tr&gt;&lt;th align=&apos;left&apos;&gt;Tipo&lt;/th&gt;&lt;th&gt;Base&lt;/th&gt;&lt;th&gt;Cuota&lt;/th&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;th align=&apos;left&apos;&gt;Rate&lt;/th&gt;&lt;th&gt;Base&lt;/th&gt;&lt;th&gt;Tax&lt;/th&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="619"/>
        <source>Venta {number} guardada. Cambio: {change}</source>
        <translation>Sale {number} saved. Change: {change}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="625"/>
        <source>Último ticket: {number}
Total {total} · Cambio {change}</source>
        <translation>Last receipt: {number}
Total {total} · Change {change}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="634"/>
        <source>Impresora: ticket {number} impreso</source>
        <translation>Printer: receipt {number} printed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="640"/>
        <source>Impresora: ERROR ({error}). La venta está guardada; reimprima con F10.</source>
        <translation>Printer: ERROR ({error}). The sale is saved; reprint with F10.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="648"/>
        <source>Venta aparcada. Recupérela con F7.</source>
        <translation>Sale parked. Resume it with F7.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="651"/>
        <source>Venta anulada y registrada.</source>
        <translation>Sale voided and recorded.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="655"/>
        <source>Hay un cobro en curso: termínelo antes de cerrar.</source>
        <translation>A payment is in progress: finish it before closing.</translation>
    </message>
</context>
<context>
    <name>ParkedSaleTableModel</name>
    <message>
        <location filename="../../pos_app/ui/parked_sale_table_model.py" line="27"/>
        <source>Hora</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/parked_sale_table_model.py" line="28"/>
        <source>Etiqueta</source>
        <translation>Label</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/parked_sale_table_model.py" line="29"/>
        <source>Cajero</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/parked_sale_table_model.py" line="30"/>
        <source>Artículos</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/parked_sale_table_model.py" line="31"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>ParkedSalesDialog</name>
    <message>
        <location filename="../../pos_app/ui/parked_sales_dialog.py" line="44"/>
        <source>Ventas aparcadas</source>
        <translation>Parked sales</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/parked_sales_dialog.py" line="59"/>
        <source>No hay ventas aparcadas.</source>
        <translation>There are no parked sales.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/parked_sales_dialog.py" line="61"/>
        <source>Recuperar (Intro)</source>
        <translation>Resume (Enter)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/parked_sales_dialog.py" line="67"/>
        <source>Cancelar (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="45"/>
        <source>Cobrar</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="53"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="54"/>
        <source>Pendiente</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="55"/>
        <source>Cambio</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="59"/>
        <source>Efectivo</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="61"/>
        <source>Entregado por el cliente (Intro vacío = exacto):</source>
        <translation>Handed over by the customer (empty Enter = exact):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="64"/>
        <source>Importe entregado</source>
        <translation>Amount handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="69"/>
        <source>Exacto</source>
        <translation>Exact</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="84"/>
        <source>Añadir efectivo</source>
        <translation>Add cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="91"/>
        <source>Tarjeta (datáfono)</source>
        <translation>Card (terminal)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="93"/>
        <source>Importe aprobado por el datáfono:</source>
        <translation>Amount approved by the terminal:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="98"/>
        <source>Referencia de la operación:</source>
        <translation>Transaction reference:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="104"/>
        <source>Añadir tarjeta (F8)</source>
        <translation>Add card (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="129"/>
        <source>Quitar pago</source>
        <translation>Remove payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="132"/>
        <source>Volver a la venta (Esc)</source>
        <translation>Back to the sale (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="135"/>
        <source>Completar venta (F12)</source>
        <translation>Complete sale (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="179"/>
        <source>Pagado. Pulse «Completar venta».</source>
        <translation>Paid. Press “Complete sale”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="208"/>
        <source>Importe no válido: «{t}».</source>
        <translation>Invalid amount: “{t}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="216"/>
        <source>Importe de tarjeta no válido.</source>
        <translation>Invalid card amount.</translation>
    </message>
</context>
<context>
    <name>ProductSearchDialog</name>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="80"/>
        <source>Buscar producto</source>
        <translation>Find product</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="86"/>
        <source>Nombre, SKU o código del producto</source>
        <translation>Product name, SKU or code</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="106"/>
        <source>Seleccionar (Intro)</source>
        <translation>Select (Enter)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="112"/>
        <source>Cancelar (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="154"/>
        <source>Buscando…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="188"/>
        <source>Escriba para buscar</source>
        <translation>Type to search</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="190"/>
        <source>Sin resultados</source>
        <translation>No results</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="192"/>
        <source>1 producto</source>
        <translation>1 product</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/search_dialog.py" line="194"/>
        <source>{count} productos</source>
        <translation>{count} products</translation>
    </message>
</context>
<context>
    <name>ProductTableModel</name>
    <message>
        <location filename="../../pos_app/ui/product_table_model.py" line="26"/>
        <source>Nombre</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/product_table_model.py" line="26"/>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/product_table_model.py" line="26"/>
        <source>Precio</source>
        <translation>Price</translation>
    </message>
</context>
<context>
    <name>QuantityDialog</name>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="77"/>
        <source>Peso en kilogramos (hasta 3 decimales):</source>
        <translation>Weight in kilograms (up to 3 decimals):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="79"/>
        <source>Nueva cantidad:</source>
        <translation>New quantity:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="81"/>
        <source>Cambiar cantidad</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="91"/>
        <source>Escriba una cantidad mayor que cero.</source>
        <translation>Enter a quantity above zero.</translation>
    </message>
</context>
<context>
    <name>ReceiptPreviewDialog</name>
    <message>
        <location filename="../../pos_app/ui/receipt_preview_dialog.py" line="79"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
<context>
    <name>SaleSummaryTableModel</name>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="27"/>
        <source>Hora</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="28"/>
        <source>Ticket</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="29"/>
        <source>Cajero</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="30"/>
        <source>Artículos</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="31"/>
        <source>Forma de pago</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="32"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="55"/>
        <source>Efectivo</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="57"/>
        <source>Tarjeta</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="59"/>
        <source>Mixto</source>
        <translation>Mixed</translation>
    </message>
</context>
<context>
    <name>SalesHistoryDialog</name>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="75"/>
        <source>Ventas de hoy</source>
        <translation>Today&apos;s sales</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="96"/>
        <source>Seleccione una venta para ver su ticket</source>
        <translation>Select a sale to see its receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="102"/>
        <source>Reimprimir (F5)</source>
        <translation>Reprint (F5)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="109"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="137"/>
        <source>Cargando ventas…</source>
        <translation>Loading sales…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="154"/>
        <source>Hoy no hay ventas en esta caja.</source>
        <translation>No sales on this register today.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="168"/>
        <source>1 venta</source>
        <translation>1 sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="170"/>
        <source>{count} ventas</source>
        <translation>{count} sales</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="224"/>
        <source>Imprimiendo copia del ticket {number}…</source>
        <translation>Printing a copy of receipt {number}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="243"/>
        <source>Copia impresa del ticket {number}</source>
        <translation>Copy of receipt {number} printed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="247"/>
        <source>No se pudo imprimir: {error}. La venta está guardada.</source>
        <translation>Could not print: {error}. The sale is saved.</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="55"/>
        <source>Sin sincronizar (caja local)</source>
        <translation>Not synced (local register)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="66"/>
        <source>Otra copia de Mostrador sincroniza esta caja</source>
        <translation>Another copy of Mostrador syncs this register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="70"/>
        <source>Conectando…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="72"/>
        <source>● En línea</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="74"/>
        <source>● Sin conexión</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="76"/>
        <source> · descargando catálogo ({n} cambios)</source>
        <translation> · downloading catalogue ({n} changes)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="79"/>
        <source>Pendientes: {n}</source>
        <translation>Pending: {n}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="81"/>
        <source>Sincronizado: {when}</source>
        <translation>Synced: {when}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="84"/>
        <source>⚠ Revisar: {n}</source>
        <translation>⚠ Review: {n}</translation>
    </message>
</context>
<context>
    <name>TenderTableModel</name>
    <message>
        <location filename="../../pos_app/ui/tender_table_model.py" line="18"/>
        <source>Forma de pago</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/tender_table_model.py" line="18"/>
        <source>Entregado</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/tender_table_model.py" line="18"/>
        <source>Aplicado</source>
        <translation>Applied</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/tender_table_model.py" line="29"/>
        <source>Efectivo</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/tender_table_model.py" line="30"/>
        <source>Tarjeta ({ref})</source>
        <translation>Card ({ref})</translation>
    </message>
</context>
<context>
    <name>TextPromptDialog</name>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="156"/>
        <source>Este dato es obligatorio.</source>
        <translation>This field is required.</translation>
    </message>
</context>
</TS>
