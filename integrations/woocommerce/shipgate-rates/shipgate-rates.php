<?php
/**
 * Plugin Name: Shipgate Rates
 * Description: Live shipping rates at checkout from shipgate: your carriers, rate cards and selection rules.
 * Version: 0.1.0
 * Requires Plugins: woocommerce
 * License: MIT
 *
 * A WC_Shipping_Method that posts the package WooCommerce asks it to price to the
 * connection's callback URL (signed: base64 HMAC-SHA256 of the body with the connection's
 * secret, in X-Shipgate-Signature) and adds one WC_Shipping_Rate per rate shipgate answers.
 * Set-up: docs/storefronts.md in the shipgate repository.
 */

if (!defined('ABSPATH')) {
    exit;
}

add_action('woocommerce_shipping_init', function () {
    class Shipgate_Rates_Method extends WC_Shipping_Method
    {
        public function __construct($instance_id = 0)
        {
            $this->id = 'shipgate_rates';
            $this->instance_id = absint($instance_id);
            $this->method_title = __('Shipgate live rates', 'shipgate-rates');
            $this->method_description = __('Rates from shipgate. Paste the callback URL and the secret shipgate answered when the store was connected (POST /v1/storefronts).', 'shipgate-rates');
            $this->supports = array('shipping-zones', 'instance-settings');
            $this->instance_form_fields = array(
                'callback_url' => array(
                    'title' => __('Callback URL', 'shipgate-rates'),
                    'type' => 'text',
                    'default' => '',
                ),
                'secret' => array(
                    'title' => __('Secret', 'shipgate-rates'),
                    'type' => 'password',
                    'default' => '',
                ),
                'timeout' => array(
                    'title' => __('Timeout (seconds)', 'shipgate-rates'),
                    'type' => 'number',
                    'default' => '4',
                ),
            );
            $this->title = $this->method_title;
            add_action('woocommerce_update_options_shipping_' . $this->id, array($this, 'process_admin_options'));
        }

        public function calculate_shipping($package = array())
        {
            $url = trim((string) $this->get_option('callback_url'));
            $secret = (string) $this->get_option('secret');
            if ($url === '' || $secret === '') {
                return;
            }
            $contents = array();
            foreach ($package['contents'] as $item) {
                $product = $item['data'];
                $contents[] = array(
                    'quantity' => (int) $item['quantity'],
                    'weight' => (string) $product->get_weight(),
                    'length' => (string) $product->get_length(),
                    'width' => (string) $product->get_width(),
                    'height' => (string) $product->get_height(),
                    'price' => (string) wc_format_decimal($product->get_price()),
                    'sku' => (string) $product->get_sku(),
                    'needs_shipping' => (bool) $product->needs_shipping(),
                );
            }
            $store = WC()->countries;
            $body = wp_json_encode(array(
                'currency' => get_woocommerce_currency(),
                'weight_unit' => get_option('woocommerce_weight_unit'),
                'dimension_unit' => get_option('woocommerce_dimension_unit'),
                'origin' => array(
                    'country' => $store->get_base_country(),
                    'state' => $store->get_base_state(),
                    'postcode' => $store->get_base_postcode(),
                    'city' => $store->get_base_city(),
                    'address_1' => $store->get_base_address(),
                    'address_2' => $store->get_base_address_2(),
                ),
                'package' => array(
                    'contents' => $contents,
                    'contents_cost' => (float) $package['contents_cost'],
                    'destination' => $package['destination'],
                ),
            ));
            $response = wp_remote_post($url, array(
                'timeout' => max(1, (int) $this->get_option('timeout', 4)),
                'headers' => array(
                    'Content-Type' => 'application/json',
                    'X-Shipgate-Signature' => base64_encode(hash_hmac('sha256', $body, $secret, true)),
                ),
                'body' => $body,
            ));
            if (is_wp_error($response) || wp_remote_retrieve_response_code($response) !== 200) {
                $why = is_wp_error($response) ? $response->get_error_message() : wp_remote_retrieve_body($response);
                wc_get_logger()->warning('shipgate rates failed: ' . $why, array('source' => 'shipgate-rates'));
                return;
            }
            $answer = json_decode(wp_remote_retrieve_body($response), true);
            if (!is_array($answer) || !isset($answer['rates']) || !is_array($answer['rates'])) {
                return;
            }
            foreach ($answer['rates'] as $rate) {
                $this->add_rate(array(
                    'id' => $this->get_rate_id($rate['id']),
                    'label' => $rate['label'],
                    'cost' => $rate['cost'],
                    'meta_data' => $rate['meta_data'],
                    'package' => $package,
                ));
            }
        }
    }
});

add_filter('woocommerce_shipping_methods', function ($methods) {
    $methods['shipgate_rates'] = 'Shipgate_Rates_Method';
    return $methods;
});
