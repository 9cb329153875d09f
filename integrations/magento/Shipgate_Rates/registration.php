<?php
/**
 * Shipgate_Rates: live shipping rates at checkout from shipgate (docs/storefronts.md).
 */

use Magento\Framework\Component\ComponentRegistrar;

ComponentRegistrar::register(ComponentRegistrar::MODULE, 'Shipgate_Rates', __DIR__);
