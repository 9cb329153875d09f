<?php
/**
 * A Magento carrier whose rates come from shipgate: collectRates() posts the RateRequest's
 * fields to the connection's callback URL (the connection's secret as a bearer token) and
 * turns each rate shipgate answers into a rate result method.
 */

declare(strict_types=1);

namespace Shipgate\Rates\Model;

use Magento\Framework\App\Config\ScopeConfigInterface;
use Magento\Framework\Encryption\EncryptorInterface;
use Magento\Framework\HTTP\Client\CurlFactory;
use Magento\Framework\Serialize\Serializer\Json;
use Magento\Quote\Model\Quote\Address\RateRequest;
use Magento\Quote\Model\Quote\Address\RateResult\ErrorFactory;
use Magento\Quote\Model\Quote\Address\RateResult\MethodFactory;
use Magento\Shipping\Model\Carrier\AbstractCarrier;
use Magento\Shipping\Model\Carrier\CarrierInterface;
use Magento\Shipping\Model\Rate\ResultFactory;
use Psr\Log\LoggerInterface;

class Carrier extends AbstractCarrier implements CarrierInterface
{
    /** @var string */
    protected $_code = 'shipgate';

    /** @var bool */
    protected $_isFixed = true;

    private ResultFactory $rateResultFactory;
    private MethodFactory $rateMethodFactory;
    private CurlFactory $curlFactory;
    private Json $json;
    private EncryptorInterface $encryptor;

    public function __construct(
        ScopeConfigInterface $scopeConfig,
        ErrorFactory $rateErrorFactory,
        LoggerInterface $logger,
        ResultFactory $rateResultFactory,
        MethodFactory $rateMethodFactory,
        CurlFactory $curlFactory,
        Json $json,
        EncryptorInterface $encryptor,
        array $data = []
    ) {
        $this->rateResultFactory = $rateResultFactory;
        $this->rateMethodFactory = $rateMethodFactory;
        $this->curlFactory = $curlFactory;
        $this->json = $json;
        $this->encryptor = $encryptor;
        parent::__construct($scopeConfig, $rateErrorFactory, $logger, $data);
    }

    /**
     * @return \Magento\Shipping\Model\Rate\Result|bool
     */
    public function collectRates(RateRequest $request)
    {
        if (!$this->getConfigFlag('active')) {
            return false;
        }
        $url = trim((string) $this->getConfigData('callback_url'));
        $secret = $this->encryptor->decrypt((string) $this->getConfigData('secret'));
        if ($url === '' || $secret === '') {
            return false;
        }
        $items = [];
        foreach ($request->getAllItems() ?: [] as $item) {
            if ($item->getParentItem()) {
                continue;
            }
            $items[] = [
                'sku' => (string) $item->getSku(),
                'qty' => (float) $item->getQty(),
                'weight' => (float) $item->getWeight(),
                'price' => (float) $item->getBasePrice(),
            ];
        }
        $baseCurrency = $request->getBaseCurrency();
        $body = $this->json->serialize([
            'dest_country_id' => $request->getDestCountryId(),
            'dest_region_code' => $request->getDestRegionCode(),
            'dest_postcode' => $request->getDestPostcode(),
            'dest_city' => $request->getDestCity(),
            'dest_street' => $request->getDestStreet(),
            'orig_country_id' => $request->getOrigCountryId(),
            'orig_region_code' => $request->getOrigRegionCode(),
            'orig_postcode' => $request->getOrigPostcode(),
            'orig_city' => $request->getOrigCity(),
            'orig_street' => $request->getOrigStreet(),
            'package_weight' => (float) $request->getPackageWeight(),
            'package_value' => (float) $request->getPackageValue(),
            'package_qty' => (float) $request->getPackageQty(),
            'weight_unit' => (string) $this->_scopeConfig->getValue('general/locale/weight_unit'),
            'base_currency' => $baseCurrency ? $baseCurrency->getCode() : null,
            'all_items' => $items,
        ]);
        $curl = $this->curlFactory->create();
        $curl->setTimeout(max(1, (int) $this->getConfigData('timeout')));
        $curl->addHeader('Content-Type', 'application/json');
        $curl->addHeader('Authorization', 'Bearer ' . $secret);
        try {
            $curl->post($url, $body);
        } catch (\Exception $e) {
            $this->_logger->warning('shipgate rates failed: ' . $e->getMessage());
            return false;
        }
        if ($curl->getStatus() !== 200) {
            $this->_logger->warning('shipgate rates failed: ' . $curl->getStatus() . ' ' . $curl->getBody());
            return false;
        }
        $answer = $this->json->unserialize($curl->getBody());
        $result = $this->rateResultFactory->create();
        foreach ($answer['rates'] ?? [] as $rate) {
            $method = $this->rateMethodFactory->create();
            $method->setCarrier($rate['carrier']);
            $method->setCarrierTitle($rate['carrier_title']);
            $method->setMethod($rate['method']);
            $method->setMethodTitle($rate['method_title']);
            $method->setPrice((float) $rate['price']);
            $method->setCost((float) $rate['cost']);
            $result->append($method);
        }
        return $result;
    }

    /**
     * @return array<string, string>
     */
    public function getAllowedMethods()
    {
        return [$this->_code => (string) $this->getConfigData('name')];
    }
}
