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
        <location filename="../../pos_app/cli.py" line="240"/>
        <source>No había ninguna venta en curso.</source>
        <translation>No sale was in progress.</translation>
    </message>
    <message>
        <location filename="../../pos_app/cli.py" line="241"/>
        <source>La venta en curso NO se ha guardado; las ventas completadas sí lo están.</source>
        <translation>The sale in progress was NOT saved; completed sales are saved.</translation>
    </message>
    <message>
        <location filename="../../pos_app/cli.py" line="329"/>
        <source>Mostrador</source>
        <translation>Mostrador</translation>
    </message>
    <message>
        <location filename="../../pos_app/cli.py" line="330"/>
        <source>Mostrador no puede abrir esta caja.</source>
        <translation>Mostrador cannot open this register.</translation>
    </message>
    <message>
        <location filename="../../pos_app/cli.py" line="337"/>
        <source>Avise al departamento de informática; «mostrador diagnostics» prepara un archivo para soporte.</source>
        <translation>Tell IT; “mostrador diagnostics” prepares a file for support.</translation>
    </message>
</context>
<context>
    <name>AttentionDialog</name>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="93"/>
        <source>Requiere atención</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="100"/>
        <source>Eventos que la central rechazó o aplicó con un conflicto, y eventos que esta caja perdió antes de enviarlos. Revise cada uno y márquelo como revisado cuando esté resuelto.</source>
        <translation>Events the backend rejected or applied with a conflict, and events this register lost before sending them. Review each one and mark it as reviewed once it is settled.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="119"/>
        <source>Marcar como revisado</source>
        <translation>Mark as reviewed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="122"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
<context>
    <name>AttentionTableModel</name>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="31"/>
        <source>Fecha</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="32"/>
        <source>Tipo</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="33"/>
        <source>Estado</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="34"/>
        <source>Motivo</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="48"/>
        <source>Venta</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="49"/>
        <source>Venta anulada</source>
        <translation>Voided sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="50"/>
        <source>Eventos perdidos</source>
        <translation>Lost events</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="51"/>
        <source>Recogida</source>
        <translation>Pickup</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="52"/>
        <source>Devolución</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="53"/>
        <source>Cliente</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="54"/>
        <source>Reloj atrasado</source>
        <translation>Clock behind</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="58"/>
        <source>Rechazado</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="59"/>
        <source>Aplicado con conflicto</source>
        <translation>Applied with a conflict</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="60"/>
        <source>No enviados (perdidos en esta caja)</source>
        <translation>Not sent (lost on this register)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="61"/>
        <source>Alarma de esta caja</source>
        <translation>Alarm on this register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="66"/>
        <source>Eventos de esta caja que nunca llegaron a la central y ya no están en ella (¿una copia de seguridad restaurada?). Revise las ventas de ese momento; los pendientes posteriores se enviaron.</source>
        <translation>Events of this register that never reached the backend and are no longer on it (a restored backup?). Check the sales of that time; the pending events after them were sent.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/attention_dialog.py" line="72"/>
        <source>El reloj de esta caja va por detrás de su último registro fiscal: las ventas siguen, con la hora de ese registro. Ponga el reloj en hora.</source>
        <translation>This register&apos;s clock is behind its last fiscal record: sales go on, stamped with that record&apos;s time. Set the clock to the correct time.</translation>
    </message>
</context>
<context>
    <name>BackendPage</name>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="110"/>
        <source>Central</source>
        <translation>Backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="113"/>
        <source>Esta caja aún no está configurada. Escriba la dirección de la central que le ha dado el departamento de informática.</source>
        <translation>This register is not set up yet. Type the backend address that IT gave you.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="122"/>
        <source>Dirección de la central</source>
        <translation>Backend address</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="124"/>
        <source>Probar la conexión</source>
        <translation>Test the connection</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="149"/>
        <source>Conectando…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="163"/>
        <source>Conexión correcta: {backend}</source>
        <translation>Connection OK: {backend}</translation>
    </message>
</context>
<context>
    <name>CancelSaleDialog</name>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="86"/>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="145"/>
        <source>Anular ticket</source>
        <translation>Void receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="91"/>
        <source>Anular el ticket {number}</source>
        <translation>Void receipt {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="97"/>
        <source>Venta de las {time} · {cashier} · {total}</source>
        <translation>Sale at {time} · {cashier} · {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="106"/>
        <source>Se anula la venta entera: el ticket queda sin efecto (registro de anulación VERI*FACTU), el género vuelve al stock y se devuelve el dinero en la misma forma de pago. Necesita la autorización de un encargado.</source>
        <translation>The whole sale is voided: the receipt is cancelled (VERI*FACTU void record), the goods go back into stock and the money is refunded by the same payment method. A manager&apos;s approval is needed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="113"/>
        <source>Comprobando la venta…</source>
        <translation>Checking the sale…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="117"/>
        <source>Motivo de la anulación:</source>
        <translation>Reason for voiding:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="125"/>
        <source>Ticket emitido por error</source>
        <translation>Receipt issued by mistake</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="126"/>
        <source>Cobrado dos veces</source>
        <translation>Charged twice</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="127"/>
        <source>Importe o forma de pago equivocados</source>
        <translation>Wrong amount or payment method</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="128"/>
        <source>El cliente no se lleva la compra</source>
        <translation>The customer is not taking the goods</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="149"/>
        <source>Cancelar (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="167"/>
        <source>en efectivo</source>
        <translation>in cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="168"/>
        <source>a la tarjeta</source>
        <translation>to the card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="174"/>
        <source>Se devuelve: {what}</source>
        <translation>To refund: {what}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="181"/>
        <source>Esta venta no se puede anular.</source>
        <translation>This sale cannot be voided.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="201"/>
        <source>Escriba el motivo de la anulación.</source>
        <translation>Type the reason for voiding.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="234"/>
        <source>Anulación no autorizada: la venta sigue en pie.</source>
        <translation>Void not authorised: the sale stands.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="249"/>
        <source>Ticket {number} anulado. Devuelva {amount} en efectivo.</source>
        <translation>Receipt {number} voided. Refund {amount} in cash.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="253"/>
        <source>Ticket {number} anulado. Devolución a la tarjeta registrada.</source>
        <translation>Receipt {number} voided. Refund to the card recorded.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="259"/>
        <source>Cerrar</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/cancel_sale_dialog.py" line="288"/>
        <source>Ticket anulado, pero no se pudo imprimir el justificante: {error}.</source>
        <translation>Receipt voided, but the void slip could not be printed: {error}.</translation>
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
    <name>CashCountWidget</name>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="73"/>
        <source>Billetes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="73"/>
        <source>Monedas</source>
        <translation>Coins</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="90"/>
        <source>Cantidad de {piece}</source>
        <translation>Number of {piece}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="140"/>
        <source>Total contado: {amount}</source>
        <translation>Total counted: {amount}</translation>
    </message>
</context>
<context>
    <name>CashMovementDialog</name>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="266"/>
        <source>Salida de efectivo</source>
        <translation>Cash out</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="266"/>
        <source>Entrada de efectivo</source>
        <translation>Cash in</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="271"/>
        <source>Importe que sale del cajón:</source>
        <translation>Amount taken out of the drawer:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="273"/>
        <source>Importe que entra en el cajón:</source>
        <translation>Amount put into the drawer:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="280"/>
        <source>Por ejemplo: 50,00</source>
        <translation>For example: 50.00</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="283"/>
        <source>Motivo:</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="291"/>
        <source>Ingreso en caja fuerte</source>
        <translation>Deposit in the safe</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="292"/>
        <source>Ingreso en el banco</source>
        <translation>Bank deposit</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="293"/>
        <source>Pago a proveedor</source>
        <translation>Supplier payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="294"/>
        <source>Gastos de la tienda</source>
        <translation>Store expenses</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="297"/>
        <source>Cambio del banco</source>
        <translation>Change from the bank</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="297"/>
        <source>Más fondo de caja</source>
        <translation>Top up the float</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="306"/>
        <source>Sacar efectivo</source>
        <translation>Take out cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="306"/>
        <source>Meter efectivo</source>
        <translation>Put in cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="310"/>
        <source>Cancelar (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="332"/>
        <source>Escriba el importe en euros, por ejemplo 50,00.</source>
        <translation>Type the amount in euros, for example 50.00.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="362"/>
        <source>Salida de efectivo no autorizada: no se ha hecho.</source>
        <translation>Cash out not authorised: it was not made.</translation>
    </message>
</context>
<context>
    <name>CloseTillDialog</name>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="488"/>
        <source>Cierre de caja (Z)</source>
        <translation>Close till (Z)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="502"/>
        <source>Cuente todo el efectivo del cajón, billete a billete y moneda a moneda. La caja le dirá lo que esperaba cuando confirme el recuento.</source>
        <translation>Count all the cash in the drawer, note by note and coin by coin. The till will show what it expected once you confirm the count.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="508"/>
        <source>Confirmar recuento y cerrar</source>
        <translation>Confirm count and close</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="511"/>
        <source>Cancelar (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="541"/>
        <source>Imprimir de nuevo</source>
        <translation>Print again</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="543"/>
        <source>Terminar</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="563"/>
        <source>Cerrando la caja…</source>
        <translation>Closing the till…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="583"/>
        <source>Cierre {number}</source>
        <translation>Z close {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="585"/>
        <source>Efectivo esperado: {amount}</source>
        <translation>Expected cash: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="591"/>
        <source>Efectivo contado: {amount}</source>
        <translation>Counted cash: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="594"/>
        <source>Cuadra: sin diferencia</source>
        <translation>Balanced: no difference</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="596"/>
        <source>Sobran {amount}</source>
        <translation>{amount} over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="599"/>
        <source>Faltan {amount}</source>
        <translation>{amount} short</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="606"/>
        <source>La copia de seguridad NO se ha hecho ({error}); el cierre está guardado. Avise al encargado.</source>
        <translation>The backup was NOT made ({error}); the Z close is saved. Tell the manager.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="612"/>
        <source>Copia de seguridad de la caja hecha.</source>
        <translation>Register backup done.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="617"/>
        <source>Caja cerrada.</source>
        <translation>Till closed.</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="98"/>
        <source>Cliente: elegir la compra a devolver</source>
        <translation>Customer: choose the purchase to return</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="98"/>
        <source>Cliente</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="153"/>
        <source>Teléfono, correo, nombre, NIF o tarjeta de cliente</source>
        <translation>Phone, email, name, tax ID or customer card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="161"/>
        <source>Buscar en central</source>
        <translation>Search backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="179"/>
        <location filename="../../pos_app/ui/customers_dialog.py" line="478"/>
        <source>Nuevo cliente</source>
        <translation>New customer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="181"/>
        <source>Editar</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="183"/>
        <source>Historial</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="185"/>
        <source>Asignar a la venta</source>
        <translation>Assign to sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="187"/>
        <source>Quitar de la venta</source>
        <translation>Remove from sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="189"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="235"/>
        <source>Solo si pide factura</source>
        <translation>Only if they ask for an invoice</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="236"/>
        <source>Nombre y apellidos *</source>
        <translation>Full name *</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="237"/>
        <source>Teléfono</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="238"/>
        <source>Correo electrónico</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="239"/>
        <source>Tarjeta de cliente</source>
        <translation>Customer card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="240"/>
        <source>NIF / NIE</source>
        <translation>Tax ID (NIF / NIE)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="242"/>
        <source>El cliente acepta la política de privacidad (obligatorio)</source>
        <translation>The customer accepts the privacy policy (required)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="245"/>
        <source>Acepta recibir ofertas</source>
        <translation>Agrees to receive offers</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="258"/>
        <source>Guardar</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="261"/>
        <location filename="../../pos_app/ui/customers_dialog.py" line="297"/>
        <source>Volver</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="294"/>
        <source>Devolver de esta compra</source>
        <translation>Return from this purchase</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="329"/>
        <source>Ningún cliente de esta tienda coincide. Pruebe «Buscar en central».</source>
        <translation>No customer of this store matches. Try “Search backend”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="344"/>
        <source>Buscando «{text}» en la central…</source>
        <translation>Searching the backend for “{text}”…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="363"/>
        <source>{count} cliente(s) en la central.</source>
        <translation>{count} customer(s) found in the backend.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="369"/>
        <source>Ningún cliente de la central coincide con «{text}».</source>
        <translation>No customer in the backend matches “{text}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="415"/>
        <source>Venta asignada a: {name}</source>
        <translation>Sale assigned to: {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="490"/>
        <source>Lea o entregue al cliente la política de privacidad antes de marcar su consentimiento; sin él no se guardan sus datos.</source>
        <translation>Read the privacy policy to the customer or hand it to them before ticking their consent; without it their details are not saved.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="495"/>
        <source>Editar cliente: {name}</source>
        <translation>Edit customer: {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="505"/>
        <source>Consentimiento registrado el {when} en {where}.</source>
        <translation>Consent recorded on {when} at {where}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="555"/>
        <source>Cliente {name} creado.</source>
        <translation>Customer {name} created.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="557"/>
        <source>Cliente {name} guardado.</source>
        <translation>Customer {name} saved.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="559"/>
        <source>Sin cambios en {name}.</source>
        <translation>No changes to {name}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="564"/>
        <source>Atención: {names} tiene el mismo teléfono o correo; si es la misma persona, la central los unirá.</source>
        <translation>Note: {names} has the same phone number or email; if it is the same person, the backend will merge them.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="597"/>
        <source>Leyendo el historial de {name}…</source>
        <translation>Loading the history of {name}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="621"/>
        <source>Historial de {name}</source>
        <translation>History of {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="628"/>
        <source>Sin conexión con la central: solo se ven las compras y devoluciones hechas en esta caja. No se pueden ver los pedidos web ni lo comprado en otras tiendas o cajas.</source>
        <translation>No connection to the backend: only purchases and returns made at this register are shown. Web orders and purchases at other stores or registers cannot be seen.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="637"/>
        <source>Historial completo de la central: tiendas, web y teléfono.</source>
        <translation>Full history from the backend: stores, web and phone.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="646"/>
        <source>Este cliente no tiene compras todavía.</source>
        <translation>This customer has no purchases yet.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customers_dialog.py" line="668"/>
        <source>Elija una compra o un pedido web: una devolución no se devuelve.</source>
        <translation>Choose a purchase or a web order: a return cannot itself be returned.</translation>
    </message>
</context>
<context>
    <name>CustomerHistoryTableModel</name>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="89"/>
        <source>Fecha</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="90"/>
        <source>Tipo</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="91"/>
        <source>Referencia</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="92"/>
        <source>Tienda / canal</source>
        <translation>Store / channel</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="93"/>
        <source>Importe</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="94"/>
        <source>Detalle</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="52"/>
        <source>Nombre</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="53"/>
        <source>Teléfono</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="54"/>
        <source>Correo electrónico</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="55"/>
        <source>Tarjeta</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="56"/>
        <source>Origen</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="70"/>
        <source>En esta tienda</source>
        <translation>In this store</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="70"/>
        <source>Central</source>
        <translation>Backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="75"/>
        <source>Posible duplicado: la central lo revisará para unirlo con otro.</source>
        <translation>Possible duplicate: the backend will review it to merge it with another customer.</translation>
    </message>
</context>
<context>
    <name>Customers</name>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="15"/>
        <source>Compra</source>
        <translation>Purchase</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="16"/>
        <source>Pedido web</source>
        <translation>Web order</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="17"/>
        <source>Devolución</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="20"/>
        <source>Tienda</source>
        <translation>Store</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="21"/>
        <source>Web</source>
        <translation>Web</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="22"/>
        <source>Teléfono</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="25"/>
        <source>Nuevo</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="26"/>
        <source>Preparando</source>
        <translation>Picking</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="27"/>
        <source>Listo</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="28"/>
        <source>Entregado</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="29"/>
        <source>Entregado en parte</source>
        <translation>Partly handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="30"/>
        <source>Cancelado</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/customer_table_model.py" line="31"/>
        <source>Caducado</source>
        <translation>Expired</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="131"/>
        <source>Descuento en porcentaje o en euros:</source>
        <translation>Discount as a percentage or in euros:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="134"/>
        <source>Porcentaje (%)</source>
        <translation>Percentage (%)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="135"/>
        <source>Importe (€)</source>
        <translation>Amount (€)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="143"/>
        <source>Quitar descuento</source>
        <translation>Remove discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="165"/>
        <source>Escriba un porcentaje (hasta 100) o un importe mayor que cero.</source>
        <translation>Enter a percentage (up to 100) or an amount above zero.</translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="247"/>
        <source>Alta de la caja</source>
        <translation>Register enrolment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="265"/>
        <source>Pulse «Atrás» para corregir la tienda o el código, o pida otro código a informática.</source>
        <translation>Press “Back” to correct the store or the code, or ask IT for another code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="269"/>
        <source>Reintentar</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="300"/>
        <source>Dando de alta la caja en {url}…</source>
        <translation>Enrolling the register at {url}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="304"/>
        <source>Conectando con la central…</source>
        <translation>Connecting to the backend…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="330"/>
        <source>Descargando el catálogo: {count} cambios</source>
        <translation>Downloading the catalogue: {count} changes</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="339"/>
        <source>Alta completada.</source>
        <translation>Enrolment complete.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="341"/>
        <source>Catálogo descargado: {count} cambios</source>
        <translation>Catalogue downloaded: {count} changes</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="344"/>
        <source>Caja {code} de {store} ({store_code}) lista para vender.</source>
        <translation>Register {code} of {store} ({store_code}) ready to sell.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="360"/>
        <source>No se ha podido dar de alta la caja.</source>
        <translation>The register could not be enrolled.</translation>
    </message>
</context>
<context>
    <name>ErrorMessages</name>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="93"/>
        <source>Escriba el nombre del cliente.</source>
        <translation>Type the customer&apos;s name.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="95"/>
        <source>El teléfono no es válido: escriba de 6 a 15 cifras (y un + delante).</source>
        <translation>The phone number is not valid: type 6 to 15 digits (a + in front is allowed).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="100"/>
        <source>El correo electrónico no es válido (por ejemplo: ana@correo.es).</source>
        <translation>The email address is not valid (for example: ana@correo.es).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="105"/>
        <source>El número de tarjeta de cliente solo lleva letras y cifras.</source>
        <translation>The customer card number may only contain letters and digits.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="110"/>
        <source>El NIF/NIE no es válido: revise las cifras y la letra.</source>
        <translation>The NIF/NIE is not valid: check the digits and the letter.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="115"/>
        <source>No se encuentra esa venta en esta caja.</source>
        <translation>That sale cannot be found on this register.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="117"/>
        <source>El ticket {number} es de otra caja o de una caja ya cerrada: solo se anulan ventas de la caja abierta. Haga una devolución.</source>
        <translation>Receipt {number} is from another register or from a till already closed: only sales from the open till can be voided. Process a refund.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="123"/>
        <source>El ticket {number} ya está anulado.</source>
        <translation>Receipt {number} is already voided.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="125"/>
        <source>El ticket {number} tiene una devolución: no se puede anular. Devuelva el resto.</source>
        <translation>Receipt {number} has a return against it: it cannot be voided. Refund the rest.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="131"/>
        <source>El ticket {number} es de un pedido para recoger: no se puede anular. Haga una devolución.</source>
        <translation>Receipt {number} is for a pickup order: it cannot be voided. Process a refund.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="138"/>
        <source>El ticket {number} se pagó con un vale o con el abono de una devolución: no se puede anular. Haga una devolución.</source>
        <translation>Receipt {number} was paid with a voucher or with credit from a return: it cannot be voided. Process a refund.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="145"/>
        <source>El ticket {number} ya se sustituyó por una factura: no se puede anular.</source>
        <translation>Receipt {number} has already been replaced by an invoice: it cannot be voided.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="150"/>
        <source>Escriba el motivo de la anulación.</source>
        <translation>Type the reason for voiding.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="154"/>
        <source>Abra la caja antes de vender.</source>
        <translation>Open the till before selling.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="156"/>
        <source>Abra la caja antes de hacer una devolución.</source>
        <translation>Open the till before making a return.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="159"/>
        <source>Abra la caja antes de meter o sacar efectivo.</source>
        <translation>Open the till before putting cash in or taking it out.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="161"/>
        <source>La caja ya está cerrada.</source>
        <translation>The till is already closed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="163"/>
        <source>La caja está cerrada: solo se anulan ventas de la caja abierta.</source>
        <translation>The till is closed: only sales from the open till can be voided.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="167"/>
        <source>La caja está cerrada: no hay informe X.</source>
        <translation>The till is closed: there is no X report.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="171"/>
        <source>no se leyó nada</source>
        <translation>nothing was read</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="172"/>
        <source>tiene caracteres que no son dígitos</source>
        <translation>it contains characters that are not digits</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="173"/>
        <source>no tiene la longitud de un código EAN/UPC</source>
        <translation>it does not have the length of an EAN/UPC code</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="175"/>
        <source>el dígito de control no cuadra (lectura errónea)</source>
        <translation>the check digit does not match (misread)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="178"/>
        <source>la etiqueta de peso o precio marca cero</source>
        <translation>the weight or price label shows zero</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="185"/>
        <source>El código «{code}» no se ha leído entero o trae datos que no se entienden. Escanee otra vez o teclee el código del producto.</source>
        <translation>The code “{code}” was not read completely or has data that cannot be understood. Scan it again or type the product code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="192"/>
        <source>El código «{code}» se ha leído mal (el dígito de control del producto no cuadra). Escanee otra vez o teclee el código del producto.</source>
        <translation>The code “{code}” was misread (the product’s check digit does not match). Scan it again or type the product code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="199"/>
        <source>El código «{code}» no es de un producto: parece una etiqueta de envío o de palé. Escanee el código del artículo o búsquelo por nombre (F2).</source>
        <translation>The code “{code}” is not a product’s: it looks like a shipping or pallet label. Scan the item’s own code or search for it by name (F2).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="206"/>
        <source>La etiqueta «{code}» da el peso en libras u onzas y aquí se vende por kilos. Pese el artículo en una balanza de la tienda o avise al encargado.</source>
        <translation>The label “{code}” gives the weight in pounds or ounces, and this store sells by the kilo. Weigh the item on one of the store’s scales or call the supervisor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="213"/>
        <source>La etiqueta «{code}» marca el precio en una moneda que no es el euro. Avise al encargado: hay que etiquetar el artículo de nuevo.</source>
        <translation>The label “{code}” gives the price in a currency other than the euro. Call the supervisor: the item must be relabelled.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="220"/>
        <source>La etiqueta «{code}» marca un precio con fracciones de céntimo. Avise al encargado: hay que etiquetar el artículo de nuevo.</source>
        <translation>The label “{code}” gives a price with fractions of a cent. Call the supervisor: the item must be relabelled.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="227"/>
        <source>La etiqueta «{code}» trae un peso, pero este producto no se vende a peso. Escanee el código impreso en el envase o avise al encargado.</source>
        <translation>The label “{code}” carries a weight, but this product is not sold by weight. Scan the code printed on the package or call the supervisor.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="241"/>
        <source>El pedido se canceló en la web después de entregarlo aquí: la entrega se mantiene; acuerde el dinero con el cliente.</source>
        <translation>The order was cancelled online after it was handed over here: the hand-over stands; settle the money with the customer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="248"/>
        <source>El pedido ya había caducado en la central cuando se entregó aquí: la entrega se mantiene; compruebe el cobro y que la mercancía no se devolvió al lineal dos veces.</source>
        <translation>The order had already expired at the backend when it was handed over here: the hand-over stands; check the payment and that the goods were not put back on the shelf twice.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="255"/>
        <source>El pedido ya constaba como entregado (en otra caja o tienda): compruebe que no se entregó dos veces y, si fue así, contacte con el cliente.</source>
        <translation>The order was already recorded as handed over (at another register or store): check that it was not handed over twice and, if it was, contact the customer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="262"/>
        <source>La central no admitió este paso del pedido porque su estado ya era otro: revise el pedido en Recogidas (F1) y, si hace falta, repita el paso o avise a la tienda online.</source>
        <translation>The backend did not accept this step because the order&apos;s state had changed: check the order in Pickups (F1) and, if needed, repeat the step or tell the online shop.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="269"/>
        <source>La central no conoce este pedido: avise a IT con el número del pedido.</source>
        <translation>The backend does not know this order: tell IT, with the order number.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="276"/>
        <source>Se devolvió más de lo que quedaba de la venta o del pedido original: la misma mercancía se devolvió también en otra caja o tienda y el dinero salió dos veces. La devolución queda registrada; revise las devoluciones anteriores de ese original y recupere la diferencia o dela por perdida.</source>
        <translation>More was refunded than was left of the original sale or order: the same goods were also returned at another register or store and the money went out twice. The return is recorded; check the earlier returns of that original and recover the difference or write it off.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="285"/>
        <source>La central no conoce la venta o el pedido que cita la devolución (puede que la caja de la venta aún no se haya sincronizado, o que el número se tecleara mal). La devolución queda registrada: compruébelo más tarde y, si el original no aparece, revise el reembolso.</source>
        <translation>The backend does not know the sale or order the return names (the sale&apos;s register may not have synced yet, or the number was mistyped). The return is recorded: check again later and, if the original does not appear, review the refund.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="294"/>
        <source>La devolución no cumple la política de devoluciones de la tienda. El dinero ya salió y la devolución queda registrada: revise el caso y, si no estaba autorizado, hable con quien la hizo.</source>
        <translation>The return breaks the store&apos;s return policy. The money has gone out and the return is recorded: review the case and, if it was not authorised, talk to whoever made it.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="302"/>
        <source>La central ya había recibido esta devolución (el mismo número) en otro evento: esta copia no se registró. Compruebe que el cliente no cobró el reembolso dos veces.</source>
        <translation>The backend had already received this return (same number) in another event: this copy was not recorded. Check that the customer was not refunded twice.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="310"/>
        <source>Se pagó con un vale más de lo que le quedaba (seguramente se usó en dos cajas a la vez sin conexión): la venta se mantiene y el saldo del vale queda en negativo. Recupere la diferencia con el cliente o dela por perdida.</source>
        <translation>More was paid with a voucher than it had left (probably used at two registers at once while offline): the sale stands and the voucher&apos;s balance is now negative. Recover the difference from the customer or write it off.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="318"/>
        <source>Se pagó con un vale que la central no conoce o que está dado de baja: la venta se mantiene. Compruebe el vale que presentó el cliente (una devolución aún sin sincronizar, un código mal tecleado) y, si no era válido, recupere el importe.</source>
        <translation>A voucher the backend does not know, or one that was withdrawn, was used to pay: the sale stands. Check the voucher the customer showed (a return not synced yet, a mistyped code) and, if it was not valid, recover the amount.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="326"/>
        <source>La devolución daba un vale con un código que ya tenía otra devolución: la devolución queda registrada, pero no se creó el saldo. Dé al cliente su saldo de otra forma (un vale nuevo o el reembolso).</source>
        <translation>The return gave a voucher with a code another return already had: the return is recorded, but no credit was created. Give the customer their credit another way (a new voucher or a refund).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="335"/>
        <source>Se modificó un cliente cuyos datos se borraron a petición suya: la modificación se descartó. No hay que hacer nada, salvo que el cliente vuelva a pedir el alta.</source>
        <translation>A customer whose data were erased at their request was edited: the edit was discarded. Nothing to do, unless the customer asks to sign up again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="343"/>
        <source>La central no aceptó este evento porque es de otra tienda o de otra caja: no se registró. Avise a IT (¿la caja se dio de alta en otra tienda?).</source>
        <translation>The backend did not accept this event because it belongs to another store or register: it was not recorded. Tell IT (was the register enrolled in another store?).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="350"/>
        <source>La central rechazó los datos de este evento por no ser válidos: no se registró. Avise a IT con este detalle.</source>
        <translation>The backend rejected this event&apos;s data as invalid: it was not recorded. Tell IT, with this detail.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="357"/>
        <source>Los importes no cuadran con el total (líneas, impuestos o pagos): la central no registró el evento. Avise a IT con este detalle.</source>
        <translation>The amounts do not add up to the total (lines, taxes or payments): the backend did not record the event. Tell IT, with this detail.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="380"/>
        <source>La central señaló un problema con este pedido de recogida: revíselo en Recogidas (F1) y con la tienda online.</source>
        <translation>The backend reported a problem with this pickup order: check it in Pickups (F1) and with the online shop.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="387"/>
        <source>{advice} Detalle: {detail}</source>
        <translation>{advice} Detail: {detail}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="418"/>
        <source>Las ventas se siguen guardando en esta caja, pero no se envían.</source>
        <translation>Sales are still saved on this register, but they are not sent.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="425"/>
        <source>La central dio de baja esta caja el {date} a las {time} (UTC).</source>
        <translation>The backend withdrew this register on {date} at {time} (UTC).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="429"/>
        <source>La central dio de baja esta caja.</source>
        <translation>The backend withdrew this register.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="431"/>
        <source>⚠ Caja dada de baja en la central</source>
        <translation>⚠ Register withdrawn by the backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="436"/>
        <location filename="../../pos_app/ui/error_messages.py" line="453"/>
        <source>Pida a IT un código de alta nuevo y dé de alta la caja otra vez (mostrador enroll).</source>
        <translation>Ask IT for a new enrolment code and enrol the register again (mostrador enroll).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="446"/>
        <source>⚠ La central no reconoce esta caja</source>
        <translation>⚠ The backend does not recognise this register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="449"/>
        <source>La central rechaza la credencial de esta caja.</source>
        <translation>The backend refuses this register&apos;s credentials.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="463"/>
        <source>⚠ Versión incompatible con la central</source>
        <translation>⚠ Version incompatible with the backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="466"/>
        <source>Esta caja y la central no hablan la misma versión del protocolo.</source>
        <translation>This register and the backend do not speak the same protocol version.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="471"/>
        <source>Avise a IT para que actualice la caja o la central.</source>
        <translation>Ask IT to update the register or the backend.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="486"/>
        <source>No se pudo sincronizar con la central: {error}</source>
        <translation>Could not sync with the backend: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="497"/>
        <source>Código «{code}» no válido: {reason}. Vuelva a escanear.</source>
        <translation>Invalid code “{code}”: {reason}. Please scan again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="503"/>
        <source>«{scanned}» no es de este pedido. Falta por recoger: {expected}.</source>
        <translation>“{scanned}” is not in this order. Still to pick: {expected}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="507"/>
        <source>El código «{code}» no es de ningún artículo de este pedido. Falta por recoger: {expected}.</source>
        <translation>The code “{code}” is not of any item in this order. Still to pick: {expected}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="513"/>
        <source>Ya están recogidos los {ordered} de «{name}» que pide el pedido: no añada más.</source>
        <translation>All {ordered} of “{name}” in the order are already picked: do not add more.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="518"/>
        <location filename="../../pos_app/ui/error_messages.py" line="634"/>
        <source>Cantidad no válida para «{name}»: entre 0 y {maximum}.</source>
        <translation>Invalid quantity for “{name}”: between 0 and {maximum}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="522"/>
        <source>Aún falta recoger: {names}. Escanéelos o márquelos como «Falta / incompleto».</source>
        <translation>Still to pick: {names}. Scan them or mark them as “Missing / short”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="527"/>
        <source>El código no es el del pedido {number}. Pídalo otra vez al cliente.</source>
        <translation>The code is not the one of order {number}. Ask the customer for it again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="532"/>
        <source>El pedido {number} no tiene nada que entregar.</source>
        <translation>Order {number} has nothing to hand over.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="536"/>
        <source>Es el cobro del pedido {number}: termínelo o anúlelo (F9), no se puede aparcar.</source>
        <translation>This is the payment of order {number}: finish or void it (F9); it cannot be parked.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="541"/>
        <source>No hay ningún pedido de recogida para «{key}». Compruebe el código, el número o el teléfono.</source>
        <translation>There is no pickup order for “{key}”. Check the code, the number or the phone.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="547"/>
        <source>El pedido {number} no admite este paso en su estado actual ({status}).</source>
        <translation>Order {number} does not allow this step in its current state ({status}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="552"/>
        <source>Sin conexión: solo clientes de esta tienda. Busque de nuevo cuando vuelva la conexión con la central.</source>
        <translation>Offline: only customers of this store are shown. Search again when the connection to the backend is back.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="558"/>
        <source>Este cliente ya no existe (puede que se hayan borrado sus datos a petición suya).</source>
        <translation>This customer no longer exists (their details may have been erased at their request).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="563"/>
        <source>Sin el consentimiento del cliente a la política de privacidad no se pueden guardar sus datos. Para borrarlos del todo, pídalo a la central.</source>
        <translation>Without the customer&apos;s consent to the privacy policy, their details cannot be saved. To erase them completely, ask head office.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="572"/>
        <source>Revise los datos del cliente ({field}).</source>
        <translation>Check the customer&apos;s details ({field}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="576"/>
        <source>Sin conexión no se puede comprobar este vale ({code}): esta caja no conoce su saldo. Cobre de otra forma o espere a tener conexión.</source>
        <translation>Offline, this voucher ({code}) cannot be checked: this register does not know its balance. Take another payment or wait for the connection.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="589"/>
        <source>La caja ya está abierta (la abrió {cashier}).</source>
        <translation>The till is already open (opened by {cashier}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="594"/>
        <source>En la caja solo debería haber {available} en efectivo.</source>
        <translation>There should only be {available} in cash in the till.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="598"/>
        <source>Escriba el motivo.</source>
        <translation>Type the reason.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="599"/>
        <source>Escriba un importe mayor que cero.</source>
        <translation>Type an amount greater than zero.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="601"/>
        <source>El recuento no es válido: revise las cantidades de billetes y monedas.</source>
        <translation>The count is not valid: check the numbers of notes and coins.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="606"/>
        <source>No existe ningún vale con el código «{code}».</source>
        <translation>There is no voucher with the code “{code}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="610"/>
        <source>El vale {code} ya no es válido (anulado).</source>
        <translation>Voucher {code} is no longer valid (cancelled).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="614"/>
        <source>Al vale {code} solo le quedan {balance}.</source>
        <translation>Voucher {code} has only {balance} left.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="621"/>
        <source>Sin conexión con la central: «{reference}» no es un ticket de esta caja. Sin conexión no se pueden comprobar los tickets de otras tiendas o cajas ni los pedidos web: solo se devuelven ventas de esta caja.</source>
        <translation>No connection to the backend: “{reference}” is not a receipt of this register. Without a connection, receipts of other stores or registers and web orders cannot be checked: only sales of this register can be returned.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="628"/>
        <source>No hay ningún ticket ni pedido web «{reference}». Compruebe el número o escanee el código de barras del ticket.</source>
        <translation>There is no receipt or web order “{reference}”. Check the number or scan the receipt&apos;s barcode.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="638"/>
        <source>Indique el motivo de la devolución de «{name}».</source>
        <translation>Enter the reason for returning “{name}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="642"/>
        <source>Indique cuántas unidades de cada artículo se devuelven.</source>
        <translation>Enter how many of each item come back.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="646"/>
        <source>Haga la devolución en el datáfono y escriba la referencia que da el datáfono.</source>
        <translation>Make the refund on the card terminal and enter the reference it gives.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="652"/>
        <source>en efectivo</source>
        <translation>in cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="654"/>
        <source>con tarjeta</source>
        <translation>by card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="656"/>
        <source>No se pueden devolver {amount} {kind}: de lo pagado {kind} quedan {left}.</source>
        <translation>{amount} cannot be refunded {kind}: only {left} of what was paid {kind} is left.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="665"/>
        <source>Hay un cambio de {reference} en curso: cóbrelo o anúlelo (botón «Anular el cambio») antes de aparcar o recuperar una venta, o de empezar otro cambio.</source>
        <translation>An exchange of {reference} is in progress: take its payment or void it (“Void the exchange” button) before parking or resuming a sale, or starting another exchange.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="671"/>
        <source>El crédito del cambio supera la venta: elija cómo devolver {amount} al cliente.</source>
        <translation>The exchange credit is more than the sale: choose how to refund {amount} to the customer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="677"/>
        <source>«{name}» no admite devolución: su categoría ({category}) no se devuelve según la política de devoluciones.</source>
        <translation>“{name}” cannot be returned: its category ({category}) is non-returnable under the returns policy.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="682"/>
        <source>«{name}» ya no se puede devolver: han pasado más de {days} días desde la compra.</source>
        <translation>“{name}” can no longer be returned: more than {days} days have passed since the purchase.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="688"/>
        <source>Con ticket regalo solo se devuelve como vale de compra, nunca en dinero.</source>
        <translation>With a gift receipt, refunds are only given as store credit, never as money.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="692"/>
        <source>Sin ticket solo se devuelve como vale de compra, nunca en dinero.</source>
        <translation>Without a receipt, refunds are only given as store credit, never as money.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="696"/>
        <source>La política de devoluciones no admite devoluciones sin ticket: pida al cliente el ticket de compra o el ticket regalo.</source>
        <translation>The returns policy does not allow returns without a receipt: ask the customer for the purchase receipt or the gift receipt.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="702"/>
        <source>La devolución NO se ha guardado ({reason}). No entregue el dinero: resuelva el problema y pulse otra vez «Devolver».</source>
        <translation>The return was NOT saved ({reason}). Do not hand out the money: fix the problem and press “Return” again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="708"/>
        <source>El código «{code}» no está en el catálogo. Búsquelo por nombre (F2).</source>
        <translation>Code “{code}” is not in the catalogue. Search by name (F2).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="712"/>
        <source>No hay ninguna venta en curso.</source>
        <translation>There is no sale in progress.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="714"/>
        <source>Hay una venta en curso: apárquela o termínela antes de recuperar otra.</source>
        <translation>A sale is in progress: park or finish it before resuming another.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="719"/>
        <source>Esa línea ya no está en la venta.</source>
        <translation>That line is no longer in the sale.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="721"/>
        <source>Cantidad no válida: {q}.</source>
        <translation>Invalid quantity: {q}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="725"/>
        <source>Descuento no válido.</source>
        <translation>Invalid discount.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="727"/>
        <source>Hay un cobro en curso: anule los pagos antes de cambiar la venta.</source>
        <translation>A payment is in progress: remove the payments before changing the sale.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="731"/>
        <source>Con tarjeta no se puede cobrar más de lo pendiente ({due}).</source>
        <translation>A card cannot pay more than is due ({due}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="735"/>
        <source>Faltan {due} por cobrar.</source>
        <translation>{due} still to pay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="739"/>
        <source>No queda nada por cobrar.</source>
        <translation>Nothing is left to pay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="742"/>
        <source>Introduzca la referencia de la operación del datáfono.</source>
        <translation>Enter the card terminal&apos;s transaction reference.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="745"/>
        <source>Importe no válido.</source>
        <translation>Invalid amount.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="747"/>
        <source>No se encontró: {key}.</source>
        <translation>Not found: {key}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="751"/>
        <source>El producto tiene un tipo de impuesto sin tarifa vigente ({tax}).</source>
        <translation>The product&apos;s tax class has no rate in force ({tax}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="755"/>
        <source>La venta NO se ha guardado ({reason}). El carrito y los pagos siguen aquí: resuelva el problema y pulse otra vez «Completar venta».</source>
        <translation>The sale was NOT saved ({reason}). The cart and the payments are still here: fix the problem and press “Complete sale” again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="761"/>
        <source>Hay {n} eventos (ventas, anulaciones…) que aún no han llegado a la central: no se puede borrar esta caja hasta que se sincronicen.</source>
        <translation>{n} events (sales, voids…) have not reached the backend yet: this register cannot be erased until they are synced.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="767"/>
        <source>La caja no está configurada: {what}.</source>
        <translation>The register is not configured: {what}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="771"/>
        <source>Un ticket solo puede llegar a {limit}: esta venta ({total}) necesita una factura completa. Pida el NIF, el nombre y el domicilio del cliente.</source>
        <translation>A receipt can only go up to {limit}: this sale ({total}) needs a full invoice. Ask for the customer&apos;s tax ID (NIF), name and address.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="780"/>
        <source>Una empresa no puede pagar {limit} o más en efectivo (Ley 11/2021): cobre con tarjeta la parte que falte.</source>
        <translation>A business cannot pay {limit} or more in cash (Law 11/2021): take the rest by card.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="787"/>
        <source>El NIF, NIE o CIF del cliente no es válido: revíselo.</source>
        <translation>The customer&apos;s NIF, NIE or CIF is not valid: check it.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="791"/>
        <source>Falta el nombre o razón social del cliente (o es demasiado largo).</source>
        <translation>The customer&apos;s name or company name is missing (or is too long).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="795"/>
        <source>Falta el domicilio del cliente: una factura completa lo lleva.</source>
        <translation>The customer&apos;s address is missing: a full invoice must include it.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="802"/>
        <source>El registro fiscal {n} de esta caja está dañado o se ha modificado a mano: avise a su responsable (mostrador journal verify).</source>
        <translation>Fiscal record {n} of this register is damaged or has been edited by hand: tell your manager (mostrador journal verify).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="809"/>
        <source>Abrir el cajón sin venta está desactivado en Dispositivos (⇧F11).</source>
        <translation>Opening the drawer without a sale is switched off in Devices (⇧F11).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="813"/>
        <source>No hay cajón configurado: conéctelo a la impresora de tickets y actívelo en Dispositivos (⇧F11).</source>
        <translation>No cash drawer is set up: connect it to the receipt printer and switch it on in Devices (⇧F11).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="820"/>
        <source>Escriba el motivo de la apertura.</source>
        <translation>Type the reason for opening it.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="823"/>
        <source>No hay impresora de tickets configurada (Dispositivos, ⇧F11).</source>
        <translation>No receipt printer is set up (Devices, ⇧F11).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="827"/>
        <source>No hay báscula configurada (Dispositivos, ⇧F11).</source>
        <translation>No scale is set up (Devices, ⇧F11).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="832"/>
        <source>PIN incorrecto. Queda 1 intento antes del bloqueo.</source>
        <translation>Wrong PIN. 1 attempt left before the lockout.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="835"/>
        <source>PIN incorrecto. Quedan {n} intentos antes del bloqueo.</source>
        <translation>Wrong PIN. {n} attempts left before the lockout.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="839"/>
        <source>Demasiados PIN incorrectos: acceso bloqueado hasta las {time}. Avise al encargado.</source>
        <translation>Too many wrong PINs: sign-in locked until {time}. Tell the manager.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="844"/>
        <source>{name} no es encargado: solo un encargado puede autorizarlo.</source>
        <translation>{name} is not a manager: only a manager can approve this.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="848"/>
        <source>Esa persona ya no está activa en esta tienda.</source>
        <translation>That person is no longer active in this store.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="852"/>
        <source>{action}: necesita la autorización de un encargado.</source>
        <translation>{action}: a manager&apos;s approval is needed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="856"/>
        <source>La autorización no vale para esta acción: pídala de nuevo.</source>
        <translation>The approval does not cover this action: ask for it again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="863"/>
        <source>Error inesperado: {error}</source>
        <translation>Unexpected error: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="870"/>
        <source>nuevo, sin preparar</source>
        <translation>new, not picked yet</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="871"/>
        <source>preparándose</source>
        <translation>being picked</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="872"/>
        <source>listo</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="873"/>
        <source>ya entregado</source>
        <translation>already handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="874"/>
        <source>ya entregado en parte</source>
        <translation>already partly handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="875"/>
        <source>cancelado</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="876"/>
        <source>caducado</source>
        <translation>expired</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="877"/>
        <source>sin pagar: cóbrelo</source>
        <translation>unpaid: take the payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="885"/>
        <source>La impresora no tiene papel: cambie el rollo y reimprima ({detail}).</source>
        <translation>The printer is out of paper: change the roll and reprint ({detail}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="889"/>
        <source>La impresora no responde: compruebe que está encendida, con papel y conectada ({detail}).</source>
        <translation>The printer does not answer: check that it is on, has paper and is connected ({detail}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="895"/>
        <source>El peso aún se mueve: espere a que se estabilice y vuelva a pesar.</source>
        <translation>The weight is still moving: wait until it settles and weigh again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="899"/>
        <source>La báscula no da un peso válido: {detail}. Retire el producto y vuelva a pesar.</source>
        <translation>The scale gives no valid weight: {detail}. Take the item off and weigh again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="904"/>
        <source>El dispositivo no responde: compruebe el cable y que esté encendido ({detail}).</source>
        <translation>The device does not answer: check the cable and that it is switched on ({detail}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="908"/>
        <source>Fallo del dispositivo: {detail}</source>
        <translation>Device failure: {detail}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="914"/>
        <source>Descuento</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="915"/>
        <source>Anular la venta</source>
        <translation>Void the sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="916"/>
        <source>Abrir el cajón sin venta</source>
        <translation>Open the drawer without a sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="917"/>
        <source>Devolución</source>
        <translation>Refund</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="918"/>
        <source>Devolución sin ticket</source>
        <translation>Refund without a receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="919"/>
        <source>Cambiar el precio</source>
        <translation>Change the price</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="920"/>
        <source>Anular una venta cobrada</source>
        <translation>Void a completed sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="925"/>
        <source>el porcentaje supera el máximo permitido ({limit} %)</source>
        <translation>the percentage is above the maximum allowed ({limit} %)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="928"/>
        <source>el importe supera el máximo permitido ({limit})</source>
        <translation>the amount is above the maximum allowed ({limit})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="931"/>
        <source>la política de la tienda la reserva a un encargado</source>
        <translation>the store&apos;s policy reserves it to a manager</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="952"/>
        <source>Añada al menos un ticket para hacer la factura.</source>
        <translation>Add at least one receipt to make the invoice.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="955"/>
        <source>No hay ningún ticket {number} de esta caja: revise el número.</source>
        <translation>There is no receipt {number} from this register: check the number.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="958"/>
        <source>El ticket {number} ya está en la lista.</source>
        <translation>Receipt {number} is already in the list.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="961"/>
        <source>El {number} no es un ticket (factura simplificada): ya es una factura completa o es anterior al registro fiscal.</source>
        <translation>{number} is not a receipt (simplified invoice): it is already a full invoice or it predates the fiscal record.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="966"/>
        <source>El ticket {number} está anulado: no se puede facturar.</source>
        <translation>Receipt {number} is voided: it cannot be invoiced.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="969"/>
        <source>El ticket {number} tiene una devolución: no se puede sustituir por una factura.</source>
        <translation>Receipt {number} has a return against it: it cannot be replaced by an invoice.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/error_messages.py" line="973"/>
        <source>El ticket {number} ya se sustituyó por la factura {invoice}: un ticket solo se factura una vez.</source>
        <translation>Receipt {number} has already been replaced by invoice {invoice}: a receipt can only be invoiced once.</translation>
    </message>
</context>
<context>
    <name>ExchangeBanner</name>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="39"/>
        <source>Anular el cambio</source>
        <translation>Void the exchange</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="51"/>
        <source>Cambio de {reference}: crédito {credit}</source>
        <translation>Exchange of {reference}: credit {credit}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="55"/>
        <source>escanee lo que se lleva el cliente</source>
        <translation>scan what the customer is taking</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="57"/>
        <source>a devolver {amount}</source>
        <translation>to refund {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="61"/>
        <source>a pagar {amount}</source>
        <translation>to pay {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="71"/>
        <source>en efectivo</source>
        <translation>in cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="72"/>
        <source>a la tarjeta</source>
        <translation>to the card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="73"/>
        <source>como vale de compra</source>
        <translation>as store credit voucher</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="84"/>
        <source>Cambio de {reference}: devolución {number} guardada.</source>
        <translation>Exchange of {reference}: return {number} saved.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/exchange_banner.py" line="93"/>
        <source>Devuelva {amount} {how}.</source>
        <translation>Refund {amount} {how}.</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="61"/>
        <source>Revise los datos</source>
        <translation>Check the details</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="63"/>
        <source>El código de alta no es válido, ya se usó o ha caducado</source>
        <translation>The enrolment code is not valid, has already been used or has expired</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="67"/>
        <source>El código de alta es de otra tienda</source>
        <translation>The enrolment code is for another store</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="69"/>
        <source>No se puede conectar con la central</source>
        <translation>Cannot connect to the backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="71"/>
        <source>La dirección no es la de una central de Mostrador</source>
        <translation>The address is not that of a Mostrador backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="73"/>
        <source>No hay un almacén de claves del sistema para guardar el token</source>
        <translation>There is no system keyring to store the token in</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="77"/>
        <source>Esta caja ya está dada de alta</source>
        <translation>This register is already enrolled</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="78"/>
        <source>No se puede guardar la configuración</source>
        <translation>The settings cannot be saved</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="100"/>
        <source>Error inesperado</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="394"/>
        <source>Mostrador: configurar esta caja</source>
        <translation>Mostrador: set up this register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="398"/>
        <source>Siguiente &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="399"/>
        <source>&lt; Atrás</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="400"/>
        <source>Abrir la caja</source>
        <translation>Open the register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="401"/>
        <source>Cancelar</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>FoundQuantityDialog</name>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="102"/>
        <source>Falta / incompleto</source>
        <translation>Missing / short</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="103"/>
        <source>¿Cuántos hay de «{name}»? (0 si no hay ninguno; se pidieron {n})</source>
        <translation>How many of “{name}” are there? (0 if none; {n} were ordered)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="118"/>
        <source>Escriba un número entero entre 0 y {n}.</source>
        <translation>Enter a whole number between 0 and {n}.</translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="312"/>
        <source>Entregar pedido</source>
        <translation>Hand over order</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="326"/>
        <source>Escanee el QR del cliente o escriba el código, el nº de pedido o el teléfono</source>
        <translation>Scan the customer&apos;s QR or type the code, the order number or the phone</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="329"/>
        <source>Buscar</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="334"/>
        <source>Ningún pedido seleccionado.</source>
        <translation>No order selected.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="339"/>
        <source>Código de recogida:</source>
        <translation>Pickup code:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="345"/>
        <source>Comprobar</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="370"/>
        <source>No lo quiere</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="372"/>
        <source>Entregar todo</source>
        <translation>Hand over all</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="374"/>
        <source>Entregar</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="376"/>
        <source>Cobrar</source>
        <translation>Take payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="378"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="434"/>
        <source>El pedido {number} no está listo para entregar ({status}).</source>
        <translation>Order {number} is not ready to hand over ({status}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="442"/>
        <source>Pida al cliente su código de recogida (o escanee su QR).</source>
        <translation>Ask the customer for their pickup code (or scan their QR).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="447"/>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="503"/>
        <source>Código comprobado.</source>
        <translation>Code checked.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="462"/>
        <source>Total entregado: {total}</source>
        <translation>Total handed over: {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="464"/>
        <source>✔ Código correcto</source>
        <translation>✔ Code correct</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="508"/>
        <source>El código no es el de este pedido. Pídalo otra vez al cliente.</source>
        <translation>The code is not this order&apos;s. Ask the customer for it again.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="564"/>
        <source>Pedido {number} entregado. Imprimiendo el justificante…</source>
        <translation>Order {number} handed over. Printing the pickup receipt…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="587"/>
        <source>Pedido entregado, pero el justificante no se imprimió ({error}). Revise la impresora.</source>
        <translation>Order handed over, but the pickup receipt did not print ({error}). Check the printer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="595"/>
        <source>Pedido entregado y justificante impreso.</source>
        <translation>Order handed over and pickup receipt printed.</translation>
    </message>
</context>
<context>
    <name>HandOverTableModel</name>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="145"/>
        <source>Artículo</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="145"/>
        <source>Preparado</source>
        <translation>Picked</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="145"/>
        <source>Entregar</source>
        <translation>Hand over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="145"/>
        <source>Importe</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="157"/>
        <source>No se entrega</source>
        <translation>Not handed over</translation>
    </message>
</context>
<context>
    <name>HardwareSettingsDialog</name>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="110"/>
        <source>Dispositivos de la caja</source>
        <translation>Register devices</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="118"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="165"/>
        <source>Impresora</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="119"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="166"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="277"/>
        <source>Cajón</source>
        <translation>Drawer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="120"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="167"/>
        <source>Escáner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="121"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="168"/>
        <source>Visor</source>
        <translation>Display</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="122"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="169"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="382"/>
        <source>Báscula</source>
        <translation>Scale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="134"/>
        <source>Guardar y aplicar</source>
        <translation>Save and apply</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="138"/>
        <source>Cerrar</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="201"/>
        <source>Red (TCP 9100)</source>
        <translation>Network (TCP 9100)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="202"/>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="203"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="354"/>
        <source>Serie</source>
        <translation>Serial</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="204"/>
        <source>Impresora de Windows</source>
        <translation>Windows printer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="205"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="243"/>
        <source>Archivo o dispositivo</source>
        <translation>File or device</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="206"/>
        <source>Solo vista previa en pantalla</source>
        <translation>On-screen preview only</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="207"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="377"/>
        <source>Ninguna</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="225"/>
        <source>80 mm (48 columnas)</source>
        <translation>80 mm (48 columns)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="225"/>
        <source>58 mm (32 columnas)</source>
        <translation>58 mm (32 columns)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="232"/>
        <source>ruta de una imagen (opcional)</source>
        <translation>path of an image (optional)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="235"/>
        <source>Conexión</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="236"/>
        <source>Dirección IP o nombre</source>
        <translation>IP address or name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="237"/>
        <source>Puerto TCP</source>
        <translation>TCP port</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="238"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="316"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="362"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="383"/>
        <source>Puerto serie</source>
        <translation>Serial port</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="239"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="317"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="363"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="384"/>
        <source>Velocidad (baudios)</source>
        <translation>Speed (baud)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="240"/>
        <source>USB: fabricante (hex)</source>
        <translation>USB: vendor (hex)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="241"/>
        <source>USB: producto (hex)</source>
        <translation>USB: product (hex)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="242"/>
        <source>Nombre de la impresora</source>
        <translation>Printer name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="244"/>
        <source>Papel</source>
        <translation>Paper</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="245"/>
        <source>Tiempo de espera</source>
        <translation>Time-out</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="246"/>
        <source>Logotipo</source>
        <translation>Logo</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="247"/>
        <source>Código QR (opcional)</source>
        <translation>QR code (optional)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="258"/>
        <source>Imprimir prueba</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="268"/>
        <source>Conectado a la impresora de tickets</source>
        <translation>Connected to the receipt printer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="269"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="298"/>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="354"/>
        <source>Ninguno</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="272"/>
        <source>Pin 2 (el habitual)</source>
        <translation>Pin 2 (the usual one)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="272"/>
        <source>Pin 5</source>
        <translation>Pin 5</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="273"/>
        <source>Abrir al cobrar en efectivo</source>
        <translation>Open on cash payments</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="275"/>
        <source>Permitir abrirlo sin venta (se pide un motivo y queda registrado)</source>
        <translation>Allow opening it without a sale (a reason is asked for and logged)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="278"/>
        <source>Conector</source>
        <translation>Connector</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="283"/>
        <source>Motivo, p. ej. «prueba del cajón»</source>
        <translation>Reason, e.g. “drawer test”</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="284"/>
        <source>Motivo</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="286"/>
        <source>Abrir cajón</source>
        <translation>Open drawer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="296"/>
        <source>Teclado (USB HID, «keyboard wedge»)</source>
        <translation>Keyboard (USB HID, “keyboard wedge”)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="297"/>
        <source>Serie o USB-CDC</source>
        <translation>Serial or USB-CDC</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="311"/>
        <source>Tipo</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="312"/>
        <source>Prefijo (opcional)</source>
        <translation>Prefix (optional)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="313"/>
        <source>Sufijo (opcional)</source>
        <translation>Suffix (optional)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="314"/>
        <source>Pausa máxima entre teclas</source>
        <translation>Longest pause between keys</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="315"/>
        <source>Longitud mínima</source>
        <translation>Shortest code</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="318"/>
        <source>Terminador</source>
        <translation>Terminator</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="334"/>
        <source>Prueba: escanee cualquier código; aparecerá aquí y no se añadirá a la venta.</source>
        <translation>Test: scan any code; it shows here and is not added to the sale.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="345"/>
        <source>Calibrar distribución de teclado</source>
        <translation>Calibrate keyboard layout</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="361"/>
        <source>Visor de cliente</source>
        <translation>Customer display</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="364"/>
        <source>Juego de órdenes</source>
        <translation>Command set</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="365"/>
        <source>Columnas</source>
        <translation>Columns</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="366"/>
        <source>Saludo en reposo</source>
        <translation>Greeting when idle</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="368"/>
        <source>Probar visor</source>
        <translation>Test display</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="377"/>
        <source>Serie (Mettler Toledo 8217)</source>
        <translation>Serial (Mettler Toledo 8217)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="386"/>
        <source>Leer peso</source>
        <translation>Read weight</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="539"/>
        <source>No se pudieron aplicar los cambios: {error}</source>
        <translation>The changes could not be applied: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="547"/>
        <source>Revise los ajustes: {problem}</source>
        <translation>Check the settings: {problem}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="551"/>
        <source>Ajustes guardados y aplicados.</source>
        <translation>Settings saved and applied.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="572"/>
        <source>sin configurar</source>
        <translation>not set up</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="573"/>
        <source>conectando…</source>
        <translation>connecting…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="574"/>
        <source>funciona</source>
        <translation>working</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="575"/>
        <source>sin conexión</source>
        <translation>not connected</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="577"/>
        <source>con error</source>
        <translation>in error</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="666"/>
        <source>El visor no responde: compruebe el cable, el puerto y que esté encendido ({error}).</source>
        <translation>The display does not answer: check the cable, the port and that it is on ({error}).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="741"/>
        <source>El escáner escribe con otra distribución de teclado: sus códigos se corregirán automáticamente. Pulse «Guardar y aplicar».</source>
        <translation>The scanner types with another keyboard layout: its codes will be corrected automatically. Press “Save and apply”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="576"/>
        <source>sin papel</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="611"/>
        <source>Imprimiendo la página de prueba…</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="619"/>
        <source>Página de prueba enviada. Compruebe las eñes, los acentos y el euro; su código de barras sirve para calibrar el escáner.</source>
        <translation>Test page sent. Check the ñ, the accents and the euro sign; its barcode is for calibrating the scanner.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="629"/>
        <source>prueba desde Dispositivos</source>
        <translation>test from Devices</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="634"/>
        <source>Cajón abierto (queda registrado).</source>
        <translation>Drawer opened (logged).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="639"/>
        <source>El cajón no se abrió: {error}</source>
        <translation>The drawer did not open: {error}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="658"/>
        <source>Visor: compruebe las dos líneas.</source>
        <translation>Display: check both lines.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="660"/>
        <source>No hay visor configurado.</source>
        <translation>No customer display is set up.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="680"/>
        <source>Peso: {kg} kg</source>
        <translation>Weight: {kg} kg</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="691"/>
        <source>La calibración es para escáneres de tipo teclado.</source>
        <translation>Calibration is for keyboard-type scanners.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="699"/>
        <source>Calibración: escanee el código de barras de la página de prueba (Imprimir prueba, en la pestaña Impresora).</source>
        <translation>Calibration: scan the barcode of the test page (Print test page, on the Printer tab).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="720"/>
        <source>válido ({kind})</source>
        <translation>valid ({kind})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="725"/>
        <source>Recibido: {code}
{verdict}</source>
        <translation>Received: {code}
{verdict}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="745"/>
        <source>Calibración correcta: el escáner y el sistema coinciden.</source>
        <translation>Calibration correct: the scanner and the system agree.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="748"/>
        <source>no llegó ningún carácter</source>
        <translation>no character arrived</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="750"/>
        <source>se pierden caracteres (teclas muertas de la distribución española)</source>
        <translation>characters are lost (dead keys of the Spanish layout)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="753"/>
        <source>las letras llegan al revés: desactive Bloq Mayús y repita</source>
        <translation>letters arrive in the wrong case: switch Caps Lock off and repeat</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="755"/>
        <source>dos caracteres distintos llegan iguales</source>
        <translation>two different characters arrive as the same one</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="758"/>
        <source>No se puede corregir: {problem}. Configure el escáner con la distribución de teclado del sistema (vea su manual) o use el modo serie (USB-CDC).</source>
        <translation>This cannot be corrected: {problem}. Set the scanner to the system’s keyboard layout (see its manual) or use serial mode (USB-CDC).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/hardware_settings_dialog.py" line="768"/>
        <source>Correcciones de teclado: {pairs}</source>
        <translation>Keyboard corrections: {pairs}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="154"/>
        <source>Mostrador — {store} · Caja {register}</source>
        <translation>Mostrador — {store} · Register {register}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="169"/>
        <source>Escanee o escriba un código de barras o SKU y pulse Intro</source>
        <translation>Scan or type a barcode or SKU and press Enter</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="270"/>
        <source>TOTAL</source>
        <translation>TOTAL</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="282"/>
        <source>Artículos</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="284"/>
        <source>Descuento</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="287"/>
        <source>Impuestos incluidos</source>
        <translation>Taxes included</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="299"/>
        <source>Ver último ticket (F8)</source>
        <translation>View last receipt (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="306"/>
        <source>COBRAR (F12)</source>
        <translation>PAY (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="319"/>
        <source>Buscar</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="320"/>
        <source>Cantidad</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="321"/>
        <source>Dto. línea</source>
        <translation>Line disc.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="322"/>
        <source>Dto. total</source>
        <translation>Total disc.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="323"/>
        <source>Quitar línea</source>
        <translation>Remove line</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="324"/>
        <source>Aparcar</source>
        <translation>Park</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="325"/>
        <source>Recuperar</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="326"/>
        <source>Anular venta</source>
        <translation>Void sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="327"/>
        <source>Reimprimir último</source>
        <translation>Reprint last</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="328"/>
        <source>Ventas de hoy</source>
        <translation>Today&apos;s sales</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="331"/>
        <source>Recogidas</source>
        <translation>Pickups</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="346"/>
        <location filename="../../pos_app/ui/main_window.py" line="617"/>
        <source>Abrir cajón</source>
        <translation>Open drawer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="347"/>
        <source>Dispositivos</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="351"/>
        <source>Supr</source>
        <translation>Del</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="391"/>
        <source>{store} · Caja {register} · {cashier}</source>
        <translation>{store} · Register {register} · {cashier}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="371"/>
        <location filename="../../pos_app/ui/main_window.py" line="593"/>
        <source>Impresora: {name}</source>
        <translation>Printer: {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="334"/>
        <source>Devoluciones</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="337"/>
        <source>Cliente</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="339"/>
        <source>Caja</source>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="342"/>
        <source>Cambiar cajero</source>
        <translation>Switch cashier</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="483"/>
        <source>Descuento de línea</source>
        <translation>Line discount</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="491"/>
        <source>Descuento sobre el total</source>
        <translation>Discount on the total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="503"/>
        <source>Aparcar venta</source>
        <translation>Park sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="504"/>
        <source>Una nota para reconocerla al recuperarla (opcional):</source>
        <translation>A note to recognise it when resuming (optional):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="514"/>
        <source>No hay ventas aparcadas.</source>
        <translation>There are no parked sales.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="528"/>
        <source>Anular venta en curso</source>
        <translation>Void the sale in progress</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="529"/>
        <source>Motivo de la anulación (queda registrado con su nombre y la hora):</source>
        <translation>Reason for voiding (recorded with your name and the time):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="551"/>
        <source>Ticket {number}</source>
        <translation>Receipt {number}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="580"/>
        <source>{device}: {state}</source>
        <translation>{device}: {state}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="599"/>
        <source>Impresora</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="600"/>
        <source>Cajón</source>
        <translation>Drawer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="601"/>
        <source>Escáner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="602"/>
        <source>Visor</source>
        <translation>Display</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="603"/>
        <source>Báscula</source>
        <translation>Scale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="608"/>
        <source>sin conexión</source>
        <translation>not connected</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="610"/>
        <source>con error</source>
        <translation>in error</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="699"/>
        <source>caja bloqueada</source>
        <translation>register locked</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="704"/>
        <source>Hay una venta en curso ({total}): sigue en el carrito.</source>
        <translation>A sale is in progress ({total}): it stays in the cart.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="716"/>
        <source>Hola, {name}.</source>
        <translation>Hello, {name}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="762"/>
        <source>Cobro del pedido {number}: cobre como una venta.</source>
        <translation>Payment of order {number}: take it like a sale.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="802"/>
        <source>Nuevo pedido {number} para recoger ({customer}). Recogidas: F1</source>
        <translation>New pickup order {number} ({customer}). Pickups: F1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="806"/>
        <source>{n} pedidos nuevos para recoger: {numbers}. Recogidas: F1</source>
        <translation>{n} new pickup orders: {numbers}. Pickups: F1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="827"/>
        <source>Hay una venta en curso: termínela, apárquela o anúlela antes de una devolución.</source>
        <translation>A sale is in progress: finish, park or void it before a return.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="851"/>
        <source>Caja abierta</source>
        <translation>Till open</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="851"/>
        <source>Caja cerrada</source>
        <translation>Till closed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="942"/>
        <source>Cliente: {name}</source>
        <translation>Customer: {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="987"/>
        <source>Pedido {number} entregado.</source>
        <translation>Order {number} handed over.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1007"/>
        <source>Impresora SIN PAPEL: cambie el rollo y reimprima con F10. La venta está guardada.</source>
        <translation>Printer OUT OF PAPER: change the roll and reprint with F10. The sale is saved.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1012"/>
        <source>Impresora: ERROR ({error}). La venta está guardada; compruebe que está encendida y conectada, y reimprima con F10.</source>
        <translation>Printer: ERROR ({error}). The sale is saved; check that it is on and connected, and reprint with F10.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="609"/>
        <source>sin papel</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="618"/>
        <source>Motivo de la apertura (queda registrado con su nombre y la hora):</source>
        <translation>Reason for opening (recorded with your name and the time):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="626"/>
        <source>Cajón abierto y registrado.</source>
        <translation>Drawer opened and logged.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="629"/>
        <source>El cajón no se abrió: {error}. Revise la impresora.</source>
        <translation>The drawer did not open: {error}. Check the printer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="956"/>
        <source>&lt;tr&gt;&lt;th align=&apos;left&apos;&gt;Tipo&lt;/th&gt;&lt;th&gt;Base&lt;/th&gt;&lt;th&gt;Cuota&lt;/th&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;th align=&apos;left&apos;&gt;Rate&lt;/th&gt;&lt;th&gt;Base&lt;/th&gt;&lt;th&gt;Tax&lt;/th&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="983"/>
        <source>Venta {number} guardada. Cambio: {change}</source>
        <translation>Sale {number} saved. Change: {change}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="992"/>
        <source>Último ticket: {number}
Total {total} · Cambio {change}</source>
        <translation>Last receipt: {number}
Total {total} · Change {change}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1001"/>
        <source>Impresora: ticket {number} impreso</source>
        <translation>Printer: receipt {number} printed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1025"/>
        <source>Pesando {name}…</source>
        <translation>Weighing {name}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1040"/>
        <source>Peso de {name}</source>
        <translation>Weight of {name}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1049"/>
        <source>Venta aparcada. Recupérela con F7.</source>
        <translation>Sale parked. Resume it with F7.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1052"/>
        <source>Venta anulada y registrada.</source>
        <translation>Sale voided and recorded.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/main_window.py" line="1056"/>
        <source>Hay un cobro en curso: termínelo antes de cerrar.</source>
        <translation>A payment is in progress: finish it before closing.</translation>
    </message>
</context>
<context>
    <name>NoReceiptReturnDialog</name>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="104"/>
        <source>Devolución sin ticket</source>
        <translation>Refund without a receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="129"/>
        <source>Escanee el artículo o escriba su código o referencia</source>
        <translation>Scan the item or type its code or reference</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="132"/>
        <source>Buscar por nombre (F2)</source>
        <translation>Search by name (F2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="161"/>
        <source>Devolver como vale</source>
        <translation>Refund as voucher</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="164"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="188"/>
        <source>Sin ticket se devuelve solo como vale de compra, al precio más bajo de los últimos {days} días (nunca más de lo que cuesta hoy).</source>
        <translation>Without a receipt, refunds are only given as store credit, at the lowest price of the last {days} days (never more than today&apos;s price).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="268"/>
        <source>{name}: se devuelve a {price} la unidad.</source>
        <translation>{name}: refunded at {price} each.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="279"/>
        <source>No le gusta / cambio de opinión</source>
        <translation>Does not like it / changed mind</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="280"/>
        <source>Defectuoso</source>
        <translation>Faulty</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="281"/>
        <source>Talla o modelo equivocado</source>
        <translation>Wrong size or model</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="282"/>
        <source>Regalo repetido</source>
        <translation>Duplicate gift</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="283"/>
        <source>Envase dañado</source>
        <translation>Damaged packaging</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="296"/>
        <source>Artículo</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="297"/>
        <source>Precio hoy</source>
        <translation>Price today</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="298"/>
        <source>Se devuelve/u.</source>
        <translation>Refund/unit</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="299"/>
        <source>Cantidad</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="300"/>
        <source>Motivo</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="301"/>
        <source>Destino</source>
        <translation>Goes to</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="306"/>
        <source>Escanee o busque cada artículo que trae el cliente.</source>
        <translation>Scan or search for each item the customer brings back.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="370"/>
        <source>Motivo (obligatorio)</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="374"/>
        <source>A la venta</source>
        <translation>Back on sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="375"/>
        <source>Dañado</source>
        <translation>Damaged</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="376"/>
        <source>Para el proveedor</source>
        <translation>For the supplier</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="381"/>
        <source>Quitar</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="428"/>
        <source>Total en vale de compra: {amount}</source>
        <translation>Total in store credit: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="473"/>
        <source>Devolución sin ticket no autorizada: no se ha hecho.</source>
        <translation>Refund without a receipt not authorised: it was not made.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="485"/>
        <source>Devolución sin ticket {number} hecha: vale de compra {code} por {amount} (se imprime ahora).</source>
        <translation>Refund without a receipt {number} done: store credit voucher {code} for {amount} (printing now).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/no_receipt_return_dialog.py" line="515"/>
        <source>{done} El vale NO se ha impreso ({error}); la devolución y el vale están guardados.</source>
        <translation>{done} The voucher was NOT printed ({error}); the refund and the voucher are saved.</translation>
    </message>
</context>
<context>
    <name>OpenTillDialog</name>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="204"/>
        <location filename="../../pos_app/ui/till_dialog.py" line="214"/>
        <source>Abrir caja</source>
        <translation>Open till</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="208"/>
        <source>Cuente el fondo de caja: cuántos billetes y monedas de cada valor hay en el cajón.</source>
        <translation>Count the float: how many notes and coins of each value are in the drawer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="217"/>
        <source>Cancelar (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../pos_app/ui/override_dialog.py" line="48"/>
        <source>Autorización de un encargado</source>
        <translation>Manager approval</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/override_dialog.py" line="59"/>
        <source>Necesita la autorización de un encargado.</source>
        <translation>A manager&apos;s approval is needed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/override_dialog.py" line="74"/>
        <source>Autorizar</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/override_dialog.py" line="80"/>
        <source>Cancelar</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/override_dialog.py" line="112"/>
        <source>Necesita la autorización de un encargado: {why}.</source>
        <translation>A manager&apos;s approval is needed: {why}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/override_dialog.py" line="115"/>
        <source>Solicitado: {amount}</source>
        <translation>Requested: {amount}</translation>
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
        <location filename="../../pos_app/ui/payment_dialog.py" line="55"/>
        <source>Cobrar</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="63"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="64"/>
        <source>Pendiente</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="65"/>
        <source>Cambio</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="71"/>
        <location filename="../../pos_app/ui/payment_dialog.py" line="278"/>
        <source>Efectivo</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="73"/>
        <source>Entregado por el cliente (Intro vacío = exacto):</source>
        <translation>Handed over by the customer (empty Enter = exact):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="76"/>
        <source>Importe entregado</source>
        <translation>Amount handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="81"/>
        <source>Exacto</source>
        <translation>Exact</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="96"/>
        <source>Añadir efectivo</source>
        <translation>Add cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="103"/>
        <source>Tarjeta (datáfono)</source>
        <translation>Card (terminal)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="105"/>
        <source>Importe aprobado por el datáfono:</source>
        <translation>Amount approved by the terminal:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="110"/>
        <source>Referencia de la operación:</source>
        <translation>Transaction reference:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="116"/>
        <source>Añadir tarjeta (F8)</source>
        <translation>Add card (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="124"/>
        <source>Vale</source>
        <translation>Voucher</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="127"/>
        <source>Código del vale (escanear o teclear):</source>
        <translation>Voucher code (scan or type):</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="137"/>
        <source>Importe a pagar con el vale:</source>
        <translation>Amount to pay with the voucher:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="143"/>
        <source>Añadir vale</source>
        <translation>Add voucher</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="169"/>
        <source>Quitar pago</source>
        <translation>Remove payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="172"/>
        <source>Volver a la venta (Esc)</source>
        <translation>Back to the sale (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="175"/>
        <source>Completar venta (F12)</source>
        <translation>Complete sale (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="202"/>
        <source>Factura completa (en lugar del ticket)</source>
        <translation>Full invoice (instead of the receipt)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="207"/>
        <source>NIF / NIE / CIF</source>
        <translation>Tax ID (NIF / NIE / CIF)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="211"/>
        <source>Nombre o razón social</source>
        <translation>Name or company name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="214"/>
        <source>Domicilio; CP y población</source>
        <translation>Address; postcode and town</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="215"/>
        <source>Emitir factura</source>
        <translation>Issue invoice</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="221"/>
        <source>Volver a ticket</source>
        <translation>Back to receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="250"/>
        <source>Factura a {name} ({tax_id}), {address}</source>
        <translation>Invoice to {name} ({tax_id}), {address}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="266"/>
        <source>Cambio de artículo: crédito de la devolución</source>
        <translation>Exchange: credit from the return</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="280"/>
        <source>Tarjeta</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="282"/>
        <source>Vale de compra</source>
        <translation>Store credit</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="302"/>
        <source>Referencia de la devolución en el datáfono</source>
        <translation>Refund reference on the card terminal</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="323"/>
        <source>Crédito del cambio de {reference}: {credit} · aplicado a esta venta: {applied}</source>
        <translation>Exchange credit from {reference}: {credit} · applied to this sale: {applied}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="332"/>
        <source>A devolver: {amount}</source>
        <translation>To refund: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="388"/>
        <source>Pagado. Pulse «Completar venta».</source>
        <translation>Paid. Press “Complete sale”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="415"/>
        <source>Saldo del vale: {balance}</source>
        <translation>Voucher balance: {balance}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="418"/>
        <source>Saldo conocido en esta caja (sin comprobar con la central): {b}</source>
        <translation>Balance known at this register (not checked with head office): {b}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="432"/>
        <source>Se está cobrando: solo se escanean vales, en el campo «Vale».</source>
        <translation>Taking payment: only vouchers can be scanned, in the “Voucher” field.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="443"/>
        <source>Comprobando el vale…</source>
        <translation>Checking the voucher…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="449"/>
        <source>Escanee o teclee el código del vale.</source>
        <translation>Scan or type the voucher&apos;s code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="457"/>
        <source>Importe del vale no válido.</source>
        <translation>Invalid voucher amount.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="474"/>
        <source>Importe no válido: «{t}».</source>
        <translation>Invalid amount: “{t}”.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/payment_dialog.py" line="482"/>
        <source>Importe de tarjeta no válido.</source>
        <translation>Invalid card amount.</translation>
    </message>
</context>
<context>
    <name>PickListDialog</name>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="108"/>
        <source>Preparar pedido</source>
        <translation>Pick order</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="124"/>
        <source>Escanee cada artículo (o escriba su código y pulse Intro)</source>
        <translation>Scan each item (or type its code and press Enter)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="140"/>
        <source>Falta / incompleto</source>
        <translation>Missing / short</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="142"/>
        <source>Volver a contar</source>
        <translation>Count again</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="144"/>
        <source>Marcar como listo</source>
        <translation>Mark as ready</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="146"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="215"/>
        <source>✔ {name}: {picked} de {ordered}</source>
        <translation>✔ {name}: {picked} of {ordered}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="256"/>
        <source>Anotado lo que falta.</source>
        <translation>Missing items noted.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="284"/>
        <source>Pedido {number} listo para recoger.</source>
        <translation>Order {number} ready for pickup.</translation>
    </message>
</context>
<context>
    <name>PickListTableModel</name>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="96"/>
        <source>Ubicación</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="97"/>
        <source>Artículo</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="98"/>
        <source>Pedido</source>
        <translation>Order</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="99"/>
        <source>Recogido</source>
        <translation>Picked</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="100"/>
        <source>Estado</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="117"/>
        <source>✗ Faltan {n}</source>
        <translation>✗ {n} missing</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="119"/>
        <source>✔ Completo</source>
        <translation>✔ Complete</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="120"/>
        <source>Quedan {n}</source>
        <translation>{n} to go</translation>
    </message>
</context>
<context>
    <name>PickupQueueTableModel</name>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="48"/>
        <source>Pedido</source>
        <translation>Order</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="49"/>
        <source>Cliente</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="50"/>
        <source>Estado</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="51"/>
        <source>Artículos</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="52"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="53"/>
        <source>Pago</source>
        <translation>Payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="54"/>
        <source>Caduca</source>
        <translation>Expires</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="72"/>
        <source>Pagado en línea</source>
        <translation>Paid online</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="72"/>
        <source>Paga en tienda</source>
        <translation>Pays in store</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="81"/>
        <source>Atrasado: lleva demasiado tiempo esperando o está a punto de caducar.</source>
        <translation>Overdue: waiting too long or about to expire.</translation>
    </message>
</context>
<context>
    <name>Pickups</name>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="16"/>
        <source>Nuevo</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="17"/>
        <source>Preparando</source>
        <translation>Picking</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="18"/>
        <source>Listo</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="19"/>
        <source>Entregado</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="20"/>
        <source>Entregado en parte</source>
        <translation>Partly handed over</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="21"/>
        <source>Cancelado</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="22"/>
        <source>Caducado</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickup_table_model.py" line="31"/>
        <source> (en la central: {state})</source>
        <translation> (at the backend: {state})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="72"/>
        <source>Pagado en línea</source>
        <translation>Paid online</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="74"/>
        <source>A pagar en tienda: {total}</source>
        <translation>To pay in store: {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="79"/>
        <source>&lt;b&gt;{number}&lt;/b&gt; · {customer} · {status}&lt;br&gt;{paid}&lt;br&gt;{contact}</source>
        <translation>&lt;b&gt;{number}&lt;/b&gt; · {customer} · {status}&lt;br&gt;{paid}&lt;br&gt;{contact}</translation>
    </message>
</context>
<context>
    <name>PickupsDialog</name>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="630"/>
        <source>Recogidas</source>
        <translation>Pickups</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="656"/>
        <source>Buscar por nº de pedido, cliente, teléfono o email</source>
        <translation>Search by order number, customer, phone or email</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="678"/>
        <source>Preparar</source>
        <translation>Pick</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="680"/>
        <source>Entregar / cobrar</source>
        <translation>Hand over / take payment</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="682"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="724"/>
        <source>Nuevos ({n})</source>
        <translation>New ({n})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="725"/>
        <source>Preparando ({n})</source>
        <translation>Picking ({n})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="726"/>
        <source>Listos ({n})</source>
        <translation>Ready ({n})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="727"/>
        <source>Atrasados ({n})</source>
        <translation>Overdue ({n})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/pickups_dialog.py" line="728"/>
        <source>Todos ({n})</source>
        <translation>All ({n})</translation>
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
    <name>RegisterPage</name>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="178"/>
        <source>Tienda y caja</source>
        <translation>Store and register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="179"/>
        <source>Los datos que le ha dado el departamento de informática.</source>
        <translation>The details IT gave you.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="183"/>
        <source>El código de alta sirve una sola vez (mostrador-server enrollment-code). La caja guarda su token en el almacén de claves del sistema, nunca en un archivo.</source>
        <translation>The enrolment code works only once (mostrador-server enrollment-code). The register keeps its token in the system keyring, never in a file.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="195"/>
        <source>Caja 1</source>
        <translation>Register 1</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="199"/>
        <source>Código de tienda</source>
        <translation>Store code</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="200"/>
        <source>Nombre de la caja</source>
        <translation>Register name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/first_run_wizard.py" line="201"/>
        <source>Código de alta</source>
        <translation>Enrolment code</translation>
    </message>
</context>
<context>
    <name>ReplaceableTicketTableModel</name>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="69"/>
        <source>Ticket</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="69"/>
        <source>Fecha</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="69"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>ReplacementInvoiceDialog</name>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="118"/>
        <source>Factura de tickets (sustituye a tickets)</source>
        <translation>Invoice for receipts (replaces receipts)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="124"/>
        <source>Escanee o teclee el número de ticket</source>
        <translation>Scan or type the receipt number</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="126"/>
        <source>Añadir ticket</source>
        <translation>Add receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="131"/>
        <source>Quitar</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="146"/>
        <source>Tickets que sustituye</source>
        <translation>Receipts it replaces</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="159"/>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="171"/>
        <source>NIF / NIE / CIF</source>
        <translation>Tax ID (NIF / NIE / CIF)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="162"/>
        <source>Nombre o razón social</source>
        <translation>Name or company name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="165"/>
        <source>Calle y número</source>
        <translation>Street and number</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="168"/>
        <source>CP y población</source>
        <translation>Postcode and town</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="169"/>
        <source>Cliente</source>
        <translation>Customer</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="172"/>
        <source>Nombre</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="173"/>
        <source>Domicilio</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="178"/>
        <source>La factura aparecerá aquí una vez emitida</source>
        <translation>The invoice will appear here once issued</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="183"/>
        <source>Emitir factura (F12)</source>
        <translation>Issue invoice (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="189"/>
        <source>Reimprimir (F5)</source>
        <translation>Reprint (F5)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="196"/>
        <source>Cancelar (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="237"/>
        <source>El ticket {number} ya está en la lista.</source>
        <translation>Receipt {number} is already in the list.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="256"/>
        <source>Ticket {number} añadido.</source>
        <translation>Receipt {number} added.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="283"/>
        <source>1 ticket</source>
        <translation>1 receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="285"/>
        <source>{count} tickets</source>
        <translation>{count} receipts</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="287"/>
        <source>{counted} · total de la factura {total}</source>
        <translation>{counted} · invoice total {total}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="299"/>
        <source>Añada al menos un ticket para hacer la factura.</source>
        <translation>Add at least one receipt to make the invoice.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="303"/>
        <source>Emitiendo la factura…</source>
        <translation>Issuing the invoice…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="336"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="338"/>
        <source>Factura {number} emitida. Imprimiendo…</source>
        <translation>Invoice {number} issued. Printing…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="399"/>
        <source>Factura {number} emitida e impresa.</source>
        <translation>Invoice {number} issued and printed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/replacement_invoice_dialog.py" line="407"/>
        <source>Factura {number} emitida y guardada, pero no se pudo imprimir: {error}. Pulse Reimprimir.</source>
        <translation>Invoice {number} issued and saved, but it could not be printed: {error}. Press Reprint.</translation>
    </message>
</context>
<context>
    <name>ReturnsDialog</name>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="112"/>
        <source>Devoluciones</source>
        <translation>Returns</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="132"/>
        <source>Escanee el código de barras del ticket o escriba el nº de ticket o de pedido web</source>
        <translation>Scan the receipt&apos;s barcode or type the receipt or web order number</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="136"/>
        <source>Buscar</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="141"/>
        <source>Del cliente…</source>
        <translation>By customer…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="145"/>
        <source>Sin ticket…</source>
        <translation>No receipt…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="150"/>
        <location filename="../../pos_app/ui/returns_dialog.py" line="334"/>
        <source>Ningún ticket seleccionado.</source>
        <translation>No receipt selected.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="175"/>
        <source>Devolver el dinero en:</source>
        <translation>Refund the money in:</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="176"/>
        <source>Efectivo</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="177"/>
        <source>Tarjeta</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="179"/>
        <source>Vale de compra</source>
        <translation>Store credit</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="194"/>
        <source>Referencia de la devolución en el datáfono</source>
        <translation>Refund reference on the card terminal</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="203"/>
        <source>Devolver</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="206"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="209"/>
        <source>Cambiar por otro artículo</source>
        <translation>Exchange for another item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="243"/>
        <source>Buscando {reference}…</source>
        <translation>Looking up {reference}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="263"/>
        <source>Nada de {reference} se puede devolver según la política de devoluciones.</source>
        <translation>Nothing from {reference} can be returned under the returns policy.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="271"/>
        <source>Ticket regalo: se devuelve lo pagado, solo como vale de compra (sin mostrar precios al cliente).</source>
        <translation>Gift receipt: what was paid is refunded, only as store credit (without showing prices to the customer).</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="279"/>
        <source>Ya se ha devuelto todo lo de {reference}.</source>
        <translation>Everything of {reference} has already been returned.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="285"/>
        <source>Comprobado con la central.</source>
        <translation>Checked with the backend.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="290"/>
        <source>Venta de esta caja, sin comprobar con la central: se cuentan solo las devoluciones hechas en esta caja.</source>
        <translation>A sale of this register, not checked with the backend: only returns made at this register are counted.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="310"/>
        <source>No le gusta / cambio de opinión</source>
        <translation>Does not like it / changed mind</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="311"/>
        <source>Defectuoso</source>
        <translation>Faulty</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="312"/>
        <source>Talla o modelo equivocado</source>
        <translation>Wrong size or model</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="313"/>
        <source>Regalo repetido</source>
        <translation>Duplicate gift</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="314"/>
        <source>Caducado</source>
        <translation>Past its date</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="315"/>
        <source>Envase dañado</source>
        <translation>Damaged packaging</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="337"/>
        <source>Ticket</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="337"/>
        <source>Pedido web</source>
        <translation>Web order</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="339"/>
        <source>Ticket regalo de</source>
        <translation>Gift receipt for</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="341"/>
        <source>comprobado con la central</source>
        <translation>checked with the backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="343"/>
        <source>sin comprobar con la central</source>
        <translation>not checked with the backend</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="345"/>
        <source>efectivo</source>
        <translation>cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="345"/>
        <source>tarjeta</source>
        <translation>card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="352"/>
        <source>&lt;b&gt;{kind} {reference}&lt;/b&gt; · {date} · tienda {store} · pagado: {paid} · {checked}</source>
        <translation>&lt;b&gt;{kind} {reference}&lt;/b&gt; · {date} · store {store} · paid: {paid} · {checked}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="363"/>
        <source>Artículo</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="364"/>
        <source>Vendido</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="365"/>
        <source>Ya devuelto</source>
        <translation>Already returned</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="366"/>
        <source>Importe/u.</source>
        <translation>Amount/unit</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="367"/>
        <source>A devolver</source>
        <translation>To return</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="368"/>
        <source>Motivo</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="369"/>
        <source>Destino</source>
        <translation>Goes to</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="433"/>
        <source>Motivo (obligatorio)</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="437"/>
        <source>A la venta</source>
        <translation>Back on sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="438"/>
        <source>Dañado</source>
        <translation>Damaged</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="439"/>
        <source>Para el proveedor</source>
        <translation>For the supplier</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="466"/>
        <source>No se devuelve: categoría sin devolución ({category})</source>
        <translation>Not returnable: non-returnable category ({category})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="469"/>
        <source>No se devuelve: más de {days} días desde la compra</source>
        <translation>Not returnable: more than {days} days since the purchase</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="535"/>
        <source>Total a devolver: {amount}</source>
        <translation>Total to refund: {amount}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="615"/>
        <source>Devolución no autorizada: no se ha hecho.</source>
        <translation>Return not authorised: it was not made.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="628"/>
        <source>en efectivo</source>
        <translation>in cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="630"/>
        <source>como vale de compra {code} (se imprime con el ticket)</source>
        <translation>as store credit voucher {code} (printed with the receipt)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="634"/>
        <source>a la tarjeta (ref. {reference})</source>
        <translation>to the card (ref. {reference})</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="635"/>
        <source>Devolución {number} hecha: devuelva {amount} {how}.</source>
        <translation>Return {number} done: refund {amount} {how}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="671"/>
        <source>{done} Ticket de devolución impreso.</source>
        <translation>{done} Return receipt printed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/returns_dialog.py" line="678"/>
        <source>{done} El ticket de devolución NO se ha impreso ({error}); la devolución está guardada.</source>
        <translation>{done} The return receipt was NOT printed ({error}); the return is saved.</translation>
    </message>
</context>
<context>
    <name>SaleSummaryTableModel</name>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="29"/>
        <source>Hora</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="30"/>
        <source>Ticket</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="31"/>
        <source>Cajero</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="32"/>
        <source>Artículos</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="33"/>
        <source>Forma de pago</source>
        <translation>Payment method</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="34"/>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="57"/>
        <source>Efectivo</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="59"/>
        <source>Tarjeta</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="61"/>
        <source>Cambio de artículo</source>
        <translation>Exchange</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="63"/>
        <source>Mixto</source>
        <translation>Mixed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="74"/>
        <source>ANULADO</source>
        <translation>VOIDED</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="88"/>
        <source>Devolución {number} del ticket {original}</source>
        <translation>Return {number} of receipt {original}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sale_summary_table_model.py" line="92"/>
        <source>Ticket anulado: su importe se devolvió y no cuenta en la caja</source>
        <translation>Voided receipt: its amount was refunded and does not count in the till</translation>
    </message>
</context>
<context>
    <name>SalesHistoryDialog</name>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="107"/>
        <source>Ventas de hoy</source>
        <translation>Today&apos;s sales</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="128"/>
        <source>Seleccione una venta para ver su ticket</source>
        <translation>Select a sale to see its receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="134"/>
        <source>Reimprimir (F5)</source>
        <translation>Reprint (F5)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="141"/>
        <source>Ticket regalo (F6)</source>
        <translation>Gift receipt (F6)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="148"/>
        <source>Imprime el ticket regalo de la venta: sin precios, para cambiar o devolver</source>
        <translation>Prints the sale&apos;s gift receipt: without prices, for exchanges or returns</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="151"/>
        <source>Factura (F8)</source>
        <translation>Invoice (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="159"/>
        <source>Factura completa a nombre del cliente que sustituye a este ticket</source>
        <translation>Full invoice in the customer&apos;s name that replaces this receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="162"/>
        <source>Anular ticket…</source>
        <translation>Void receipt…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="169"/>
        <source>Anula la venta entera (ticket emitido por error), con un encargado</source>
        <translation>Voids the whole sale (receipt issued by mistake), with a manager</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="172"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="203"/>
        <source>Cargando ventas…</source>
        <translation>Loading sales…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="220"/>
        <source>Hoy no hay ventas en esta caja.</source>
        <translation>No sales on this register today.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="238"/>
        <source>1 venta</source>
        <translation>1 sale</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="240"/>
        <source>{count} ventas</source>
        <translation>{count} sales</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="243"/>
        <source>1 devolución</source>
        <translation>1 return</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="245"/>
        <source>{count} devoluciones</source>
        <translation>{count} returns</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="248"/>
        <source>1 anulada</source>
        <translation>1 voided</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="250"/>
        <source>{count} anuladas</source>
        <translation>{count} voided</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="308"/>
        <source>Imprimiendo copia del ticket {number}…</source>
        <translation>Printing a copy of receipt {number}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="338"/>
        <source>Copia impresa del ticket {number}</source>
        <translation>Copy of receipt {number} printed</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="342"/>
        <source>No se pudo imprimir: {error}. La venta está guardada.</source>
        <translation>Could not print: {error}. The sale is saved.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="378"/>
        <source>Imprimiendo el ticket regalo de {number}…</source>
        <translation>Printing the gift receipt for {number}…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="396"/>
        <source>Ticket regalo de {number} impreso.</source>
        <translation>Gift receipt for {number} printed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="400"/>
        <source>No se pudo imprimir el ticket regalo: {error}.</source>
        <translation>The gift receipt could not be printed: {error}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sales_history_dialog.py" line="464"/>
        <source>Ticket {number} anulado.</source>
        <translation>Receipt {number} voided.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../pos_app/ui/sign_in_dialog.py" line="34"/>
        <source>Caja bloqueada — identifíquese</source>
        <translation>Register locked — sign in</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sign_in_dialog.py" line="37"/>
        <source>¿Quién está en la caja?</source>
        <translation>Who is at the register?</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sign_in_dialog.py" line="65"/>
        <source>Comprobando…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sign_in_dialog.py" line="88"/>
        <source>Identifíquese antes de escanear.</source>
        <translation>Sign in before scanning.</translation>
    </message>
</context>
<context>
    <name>StaffPinPanel</name>
    <message>
        <location filename="../../pos_app/ui/staff_pin_panel.py" line="77"/>
        <source>Borrar</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/staff_pin_panel.py" line="81"/>
        <source>Entrar</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/staff_pin_panel.py" line="86"/>
        <source>← Otra persona</source>
        <translation>← Someone else</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/staff_pin_panel.py" line="126"/>
        <source>No hay nadie que pueda hacerlo.</source>
        <translation>There is nobody who can do it.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/staff_pin_panel.py" line="137"/>
        <source>{name}: escriba su PIN</source>
        <translation>{name}: type your PIN</translation>
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
        <location filename="../../pos_app/ui/sync_status.py" line="69"/>
        <source>Otra copia de Mostrador sincroniza esta caja</source>
        <translation>Another copy of Mostrador syncs this register</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="73"/>
        <source>Conectando…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="75"/>
        <source>● En línea</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="77"/>
        <source>● Sin conexión</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="79"/>
        <source> · descargando catálogo ({n} cambios)</source>
        <translation> · downloading catalogue ({n} changes)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="82"/>
        <source>Pendientes: {n}</source>
        <translation>Pending: {n}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="84"/>
        <source>Sincronizado: {when}</source>
        <translation>Synced: {when}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/sync_status.py" line="62"/>
        <location filename="../../pos_app/ui/sync_status.py" line="87"/>
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
        <location filename="../../pos_app/ui/tender_table_model.py" line="31"/>
        <source>Vale {code}</source>
        <translation>Voucher {code}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/tender_table_model.py" line="33"/>
        <source>Cambio de {reference}</source>
        <translation>Exchange of {reference}</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/tender_table_model.py" line="34"/>
        <source>Tarjeta ({ref})</source>
        <translation>Card ({ref})</translation>
    </message>
</context>
<context>
    <name>TextPromptDialog</name>
    <message>
        <location filename="../../pos_app/ui/input_dialogs.py" line="186"/>
        <source>Este dato es obligatorio.</source>
        <translation>This field is required.</translation>
    </message>
</context>
<context>
    <name>TillDialog</name>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="419"/>
        <source>No hay impresora configurada.</source>
        <translation>No printer is set up.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="425"/>
        <source>Informe impreso.</source>
        <translation>Report printed.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="651"/>
        <source>Caja</source>
        <translation>Till</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="670"/>
        <source>Abrir caja</source>
        <translation>Open till</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="671"/>
        <source>Entrada de efectivo</source>
        <translation>Cash in</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="672"/>
        <source>Salida de efectivo</source>
        <translation>Cash out</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="673"/>
        <source>Informe X</source>
        <translation>X report</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="674"/>
        <source>Cierre de caja (Z)</source>
        <translation>Close till (Z)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="675"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="712"/>
        <source>Caja abierta desde las {time} por {cashier}, fondo {amount}.</source>
        <translation>Till open since {time}, opened by {cashier}, float {amount}.</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="719"/>
        <source>Caja cerrada: ábrala para vender.</source>
        <translation>Till closed: open it to sell.</translation>
    </message>
</context>
<context>
    <name>XReportDialog</name>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="448"/>
        <source>Informe X</source>
        <translation>X report</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="457"/>
        <source>Imprimir</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../pos_app/ui/till_dialog.py" line="459"/>
        <source>Cerrar (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
</context>
</TS>
